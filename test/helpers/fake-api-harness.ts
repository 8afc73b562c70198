/**
 * Setup shared by the fake OCI API's integration tests: two sets of
 * throw-away credentials per test file, fakes on port 0 that trust the first
 * set and are stopped after each test, and the real SDK clients pointed at a
 * fake with retries off.
 */
import * as common from 'oci-common';
import { ContainerEngineClient } from 'oci-containerengine';
import { ComputeClient } from 'oci-core';
import { FakeOciApi, type FakeOciApiOptions } from '../../src/local/fake-oci-api';
import type { World } from '../../src/local/world';
import { createTestCredentials, signedRequest, type RawResponse, type TestCredentials } from './oci-credentials';

/** Retries and the circuit breaker off, so every fault reaches the test as it happened. */
const clientConfiguration: common.ClientConfiguration = {
  retryConfiguration: common.NoRetryConfigurationDetails,
  circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
};

export interface FakeApiClients {
  readonly compute: ComputeClient;
  readonly containerEngine: ContainerEngineClient;
}

export interface FakeApiHarness {
  /** Trusted by every fake {@link FakeApiHarness.startApi} starts, unless the test passes its own `trustedKeys`. */
  readonly credentials: TestCredentials;
  /** Trusted by no fake unless the test says so. */
  readonly strangerCredentials: TestCredentials;
  /** Starts a fake that is stopped after the test. */
  readonly startApi: (options: Partial<FakeOciApiOptions> & { world: World }) => Promise<FakeOciApi>;
  /** A config file provider over `from` (default: the trusted credentials). */
  readonly configFileProvider: (from?: TestCredentials) => common.ConfigFileAuthenticationDetailsProvider;
  /** Both clients against the fake, signing with `provider` (default: the trusted config file). */
  readonly clientsFor: (api: FakeOciApi, provider?: common.AuthenticationDetailsProvider) => FakeApiClients;
  /** A GET of `path` signed with the trusted credentials, answered as sent on the wire (what the SDK would smooth over). */
  readonly signedGet: (api: FakeOciApi, path: string) => Promise<RawResponse>;
}

/** Registers the setup and teardown hooks of one test file and returns its harness. Call it at the top level of the file. */
export function useFakeApiHarness(): FakeApiHarness {
  let trusted: TestCredentials | undefined;
  let stranger: TestCredentials | undefined;
  const running: FakeOciApi[] = [];

  beforeAll(async () => {
    [trusted, stranger] = await Promise.all([createTestCredentials(), createTestCredentials()]);
  });
  afterAll(async () => {
    await Promise.all([trusted?.cleanup(), stranger?.cleanup()]);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((api) => api.stop()));
  });

  const ready = (credentials: TestCredentials | undefined): TestCredentials => {
    if (credentials === undefined) throw new Error('fake API harness: credentials are made in beforeAll; read them inside a test');
    return credentials;
  };
  const configFileProvider = (from: TestCredentials = ready(trusted)): common.ConfigFileAuthenticationDetailsProvider =>
    new common.ConfigFileAuthenticationDetailsProvider(from.configFile.path, from.configFile.profile);

  return {
    get credentials() {
      return ready(trusted);
    },
    get strangerCredentials() {
      return ready(stranger);
    },
    startApi: async (options) => {
      const api = new FakeOciApi({ trustedKeys: ready(trusted).trustedKeys, ...options });
      running.push(api);
      await api.start();
      return api;
    },
    configFileProvider,
    // The endpoint is set last: setting a region (the provider does) overwrites it.
    clientsFor: (api, provider = configFileProvider()) => {
      const compute = new ComputeClient({ authenticationDetailsProvider: provider }, clientConfiguration);
      const containerEngine = new ContainerEngineClient({ authenticationDetailsProvider: provider }, clientConfiguration);
      compute.endpoint = api.url;
      containerEngine.endpoint = api.url;
      return { compute, containerEngine };
    },
    signedGet: (api, path) => {
      const { configFile, privateKeyPem } = ready(trusted);
      return signedRequest(api.url, { method: 'GET', path, keyId: configFile.keyId, privateKeyPem });
    },
  };
}
