// The dashboard in a real browser (Debian's chromium, driven by playwright-core): loads the page
// while a pipeline commits ticks, waits for live updates, reloads mid-stream, and once the
// pipeline is done (DONE_FILE exists) waits until the page holds every committed tick, then
// prints what the page shows as JSON for the shell test to compare with an independent
// computation. Usage: node dashboard.js URL DONE_FILE SCREENSHOT [PREDICTIONS_DIR]
const { chromium } = require("playwright-core");
const fs = require("fs");

const [url, doneFile, screenshot, predictions] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(page, what, fn, arg, seconds = 60) {
    for (let i = 0; i < seconds * 10; i++) {
        if (await page.evaluate(fn, arg)) return;
        await sleep(100);
    }
    throw new Error("timed out waiting for " + what);
}

(async () => {
    const browser = await chromium.launch({
        executablePath: process.env.BS_CHROMIUM || "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    const errors = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    // An event stream cut by the reload is expected; any other failed request is an error.
    page.on("requestfailed", (r) => {
        if (new URL(r.url()).pathname !== "/events") errors.push("request failed: " + r.url());
    });
    const out = {};
    await page.goto(url);
    await waitFor(page, "10 live updates", () => window.btcstream && window.btcstream.updates >= 10);
    out.updates_before_reload = await page.evaluate(() => window.btcstream.updates);
    out.chart_points_before = await page.evaluate(() => window.btcstream.lastId);

    // A reload mid-stream loads the history again and resumes the stream after it.
    await page.reload();
    await waitFor(page, "5 updates after the reload", () => window.btcstream && window.btcstream.updates >= 5);
    for (let i = 0; i < 600 && !fs.existsSync(doneFile); i++) await sleep(100);
    if (!fs.existsSync(doneFile)) throw new Error("the pipeline did not finish");
    const final = await page.evaluate(async () => (await (await fetch("/api/summary")).json()).last_id);
    await waitFor(page, "every committed tick", (n) => window.btcstream.lastId === n, final);
    // `run` writes the model's predictions after its stream stage (when the history is long
    // enough to train on): the page then shows them unasked.
    if (predictions && fs.existsSync(predictions))
        await waitFor(page, "the model's forecast", () => (document.getElementById("fc-model-n").dataset.value || "") !== "");
    await sleep(300); // let the last render land before reading the cells
    out.committed = final;
    out.stats = await page.evaluate(() => ({ ...window.btcstream, latencies_ms: undefined }));
    out.cells = await page.evaluate(() => {
        const cells = {};
        for (const el of document.querySelectorAll("[data-value]")) cells[el.id] = el.dataset.value;
        return cells;
    });
    out.texts = await page.evaluate(() => ({
        price: document.getElementById("price").textContent,
        hourly_avg: document.getElementById("hourly-avg").textContent,
        chart: !!document.querySelector("#chart canvas"),
        selector_hidden: document.getElementById("market").hidden,
    }));
    await page.screenshot({ path: screenshot, fullPage: true });
    out.errors = errors;
    await browser.close();
    console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
