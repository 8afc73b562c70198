/** The OCI Events types this project knows, each spelled once. */

/** A compute instance finished launching: the event the function tags on. */
export const LAUNCH_EVENT_TYPE = 'com.oraclecloud.computeapi.launchinstance.end';

/** A compute instance finished terminating: a type the function receives from a broad rule and ignores. */
export const TERMINATE_EVENT_TYPE = 'com.oraclecloud.computeapi.terminateinstance.end';
