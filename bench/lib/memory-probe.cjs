// Preloaded with --require into a function process by the fn-reconcile
// section: samples process.memoryUsage() every 200 ms and keeps, in the file
// BENCH_MEMORY_FILE names, the sample taken at the highest RSS so far, so that
// the peak can be split into heap, external and array buffers.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  let peakRss = 0;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss <= peakRss) return;
    peakRss = usage.rss;
    writeFileSync(file, JSON.stringify(usage));
  }, 200);
  timer.unref();
}
