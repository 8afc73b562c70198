import { CONFIG_KEYS, loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

const compartment = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      tagNamespace: 'oke-nodepool-tags',
      tagName: 'oke-nodepool-name',
      clusterTagName: undefined,
      compartmentIds: [],
      timeoutSeconds: 30,
      dryRun: false,
      auth: 'config_file',
      membershipWaitSeconds: 5,
      logLevel: 'info',
      allowReconcile: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('chooses resource principal auth when the Functions runtime provides it', () => {
    expect(loadConfig({ OCI_RESOURCE_PRINCIPAL_VERSION: '2.2' }).auth).toBe('resource_principal');
  });

  it('reads every key', () => {
    const config = loadConfig({
      tag_namespace: 'my-ns',
      tag_name: 'pool',
      cluster_tag_name: 'cluster',
      compartment_id: `${compartment}, ${compartment} ,`,
      timeout_seconds: '45',
      dry_run: 'TRUE',
      oci_auth: 'instance_principal',
      containerengine_endpoint: 'http://127.0.0.1:8080/',
      compute_endpoint: 'https://iaas.example.com',
      membership_wait_seconds: '0.5',
      log_level: 'debug',
      allow_reconcile: 'no',
      OCI_CONFIG_FILE: '/etc/oci/config',
      oci_profile: 'PROD',
    });

    expect(config).toMatchObject({
      tagNamespace: 'my-ns',
      tagName: 'pool',
      clusterTagName: 'cluster',
      compartmentIds: [compartment],
      timeoutSeconds: 45,
      dryRun: true,
      auth: 'instance_principal',
      containerEngineEndpoint: 'http://127.0.0.1:8080',
      computeEndpoint: 'https://iaas.example.com',
      membershipWaitSeconds: 0.5,
      logLevel: 'debug',
      allowReconcile: false,
      ociConfigFile: '/etc/oci/config',
      ociProfile: 'PROD',
    });
  });

  it.each([
    ['tag_namespace', 'has.period', /config tag_namespace: "has.period" is not a valid tag namespace or key name/],
    ['tag_name', 'has space', /config tag_name: /],
    ['cluster_tag_name', 'x'.repeat(101), /config cluster_tag_name: /],
    [
      'compartment_id',
      'ocid1.instance.oc1..aaaa',
      /config compartment_id: "ocid1.instance.oc1..aaaa" is not a compartment or tenancy OCID/,
    ],
    ['timeout_seconds', 'soon', /config timeout_seconds: "soon" is not a number of seconds between 1 and 3600/],
    ['timeout_seconds', '3601', /config timeout_seconds: /],
    ['dry_run', 'maybe', /config dry_run: "maybe" is not a boolean/],
    ['oci_auth', 'api_key', /config oci_auth: "api_key" is not one of/],
    ['compute_endpoint', 'not a url', /config compute_endpoint: "not a url" is not a URL/],
    ['containerengine_endpoint', 'ftp://x', /config containerengine_endpoint: .* must be an http or https URL/],
    ['log_level', 'loud', /config log_level: /],
    ['membership_wait_seconds', '-1', /config membership_wait_seconds: "-1" is not a number of seconds between 0 and 120/],
    ['allow_reconcile', 'sometimes', /config allow_reconcile: "sometimes" is not a boolean/],
  ])('names the key %s when its value %j is bad', (key, value, message) => {
    const act = () => loadConfig({ [key]: value });

    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
  });

  it('refuses a cluster key equal to the pool key, since tag keys ignore case', () => {
    expect(() => loadConfig({ tag_name: 'Pool', cluster_tag_name: 'pool' })).toThrow(/config cluster_tag_name: must differ from tag_name/);
  });

  it('accepts a timeout of up to 3600 s, for detached invocations', () => {
    expect(loadConfig({ timeout_seconds: '3600' }).timeoutSeconds).toBe(3600);
  });

  it('reads the enforcement keys, refusing bad values by name', () => {
    expect(loadConfig({})).toMatchObject({ membershipGraceMinutes: 30, impostorAction: 'remove' });
    expect(loadConfig({ membership_grace_minutes: '0', impostor_action: 'report' })).toMatchObject({
      membershipGraceMinutes: 0,
      impostorAction: 'report',
    });
    expect(() => loadConfig({ impostor_action: 'ignore' })).toThrow('config impostor_action: "ignore" is not one of remove, report');
    expect(() => loadConfig({ membership_grace_minutes: '-5' })).toThrow(
      /config membership_grace_minutes: "-5" is not a number of minutes/,
    );
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ tag_namespace: '  ', cluster_tag_name: '' })).toMatchObject({
      tagNamespace: 'oke-nodepool-tags',
      clusterTagName: undefined,
    });
  });
});

describe('CONFIG_KEYS', () => {
  it('names exactly the config keys loadConfig reads', () => {
    // Prepare
    const asked = new Set<string>();
    const env = new Proxy<Record<string, string | undefined>>(
      {},
      {
        get: (_target, key) => {
          if (typeof key === 'string') asked.add(key);
          return undefined;
        },
      },
    );

    // Act
    loadConfig(env);

    // Assess
    const configKeys = [...asked].filter((key) => key === key.toLowerCase());
    expect(configKeys.sort()).toEqual([...CONFIG_KEYS].sort());
  });
});
