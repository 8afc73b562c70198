/**
 * The flags of the commands that read the tenancy's IAM and operations
 * (`explain`, `doctor`, `snapshot`): which tenancy, and which identity
 * domains besides Default. Parsed once, here, into the options of `createAccessPorts`.
 */
import { UsageError } from '../errors';
import { ocidType } from '../ocid';
import { listValue, stringValue, type OptionSpec, type ParsedValues } from './common';

export const ACCESS_OPTIONS: OptionSpec = {
  tenancy: { type: 'string' },
  'identity-domain-url': { type: 'string', multiple: true },
};

/** The help lines of {@link ACCESS_OPTIONS}, aligned with the other options. */
export const ACCESS_HELP = `  --tenancy OCID            the tenancy to read (default the one the credentials or world name)
  --identity-domain-url URL an identity domain (other than Default) whose dynamic groups
                            are read; repeatable. Without it those groups are not seen`;

/** The access flags, checked: a tenancy OCID, and http(s) URLs (each once). */
export function accessTargetOptions(
  values: ParsedValues,
  command: string,
): { readonly tenancyId: string | undefined; readonly identityDomainUrls: readonly string[] } {
  const tenancyId = stringValue(values, 'tenancy');
  if (tenancyId !== undefined && ocidType(tenancyId) !== 'tenancy')
    throw new UsageError(`${command}: --tenancy "${tenancyId.slice(0, 120)}" is not a tenancy OCID`);
  const urls = listValue(values, 'identity-domain-url');
  for (const url of urls) {
    let protocol: string | undefined;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'https:' && protocol !== 'http:')
      throw new UsageError(`${command}: --identity-domain-url "${url.slice(0, 120)}" is not an http or https URL`);
  }
  return { tenancyId, identityDomainUrls: [...new Set(urls)] };
}
