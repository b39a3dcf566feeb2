// The dashboard's commit-to-browser latency, measured in the page (chromium via playwright-core):
// for each event that brings new ticks, the page records Date.now() minus the commit time of the
// newest batch (the commit log's mtime, which precedes the real commit: the figure errs high).
//   node dashboard_latency.js URL TICKS  -> {"events", "ticks", "p50_ms", "p99_ms", "max_ms"}
const { chromium } = require("playwright-core");

const [url, wanted] = [process.argv[2], Number(process.argv[3])];
(async () => {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
                                            args: ["--no-sandbox", "--disable-gpu"] });
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.btcstream && window.btcstream.epoch !== null);
    const start = await page.evaluate(() => window.btcstream.lastId);
    console.error(`page ready at tick ${start}: start the pipeline`);
    require("fs").writeFileSync(process.argv[4], "ready");
    await page.waitForFunction((n) => window.btcstream.lastId >= n, start + wanted,
                                { timeout: 300000, polling: 200 });
    const l = await page.evaluate(() => window.btcstream.latencies_ms.slice());
    l.sort((a, b) => a - b);
    const pct = (p) => l[Math.min(l.length - 1, Math.floor(p * l.length))];
    console.log(JSON.stringify({ events: l.length, ticks: wanted, p50_ms: pct(0.5),
                                 p99_ms: pct(0.99), max_ms: l[l.length - 1] }));
    await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
