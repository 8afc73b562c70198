/**
 * The Node test environment, except that the OCI SDK's retry warnings
 * ("Request failed with Exception", "All retry attempts have exhausted",
 * "Request cannot be retried") are held back for each test and printed only
 * when that test fails. Tests provoke retries on purpose; on a passing run
 * the SDK's free-text warnings would read like failures. Every other
 * console output passes through unchanged.
 */
const { TestEnvironment } = require('jest-environment-node');

const SDK_RETRY_WARNING = /^(Request failed with Exception|All retry attempts have exhausted|Request cannot be retried)/;

class QuietSdkEnvironment extends TestEnvironment {
  held = [];
  wrapped = false;

  /** Wraps console.warn once the test console is in place (it is set after construction). */
  holdSdkWarnings() {
    if (this.wrapped) return;
    this.wrapped = true;
    const console = this.global.console;
    const warn = console.warn.bind(console);
    this.printHeld = () => this.held.forEach((args) => warn(...args));
    console.warn = (...args) => {
      if (typeof args[0] === 'string' && SDK_RETRY_WARNING.test(args[0])) this.held.push(args);
      else warn(...args);
    };
  }

  async handleTestEvent(event) {
    if (event.name === 'test_start') {
      this.holdSdkWarnings();
      this.held = [];
    }
    if (event.name === 'test_done' && event.test.errors.length > 0) this.printHeld?.();
  }
}

module.exports = QuietSdkEnvironment;
