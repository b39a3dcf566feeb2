/*
 * app.js - the dashboard page: loads recent committed ticks and the summary from /api/*, then
 * follows /events (Server-Sent Events). Each event carries the ticks after the page's last id;
 * the browser resends that id (Last-Event-ID) when it reconnects, so a network blip neither
 * loses nor repeats a tick. A "reset" event (the history was replaced) makes it load again.
 * window.btcstream exposes counters that the browser test and the latency bench read.
 */
"use strict";

const MAX_POINTS = 5000; /* ticks the chart keeps */
const FIRST_LOAD = 1000; /* ticks a (re)load fetches: keeps the first load light */
const HOUR_S = 3600;

const stats = { updates: 0, events: 0, duplicates: 0, gaps: 0, latencies_ms: [], lastId: 0,
                epoch: null, loads: 0 };
window.btcstream = stats;

let source = null;
let plot = null;
let newestUs = null;
const xs = [], closes = [], averages = [];
let windowStart = 0, windowSum = 0; /* the rolling 1-hour mean over xs[windowStart..] */

const $ = (id) => document.getElementById(id);
const money = (v) => v == null ? "-" :
    v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const utc = (us) => new Date(us / 1000).toISOString().replace("T", " ").slice(0, 19);

/* Shows v in cell id, keeping the exact value in data-value for tests. */
function put(id, v, text) {
    const el = $(id);
    el.textContent = text !== undefined ? text : (typeof v === "number" ? money(v) : (v ?? "-"));
    el.dataset.value = v == null ? "" : String(v);
}

function resetSeries() {
    xs.length = closes.length = averages.length = 0;
    windowStart = 0;
    windowSum = 0;
}

function addTick(t) {
    const x = t.t / 1e6;
    if (xs.length && x < xs[xs.length - 1]) return; /* a late tick: counted, not drawn */
    xs.push(x);
    closes.push(t.c);
    windowSum += t.c;
    while (xs[windowStart] <= x - HOUR_S) windowSum -= closes[windowStart++];
    averages.push(windowSum / (xs.length - windowStart));
    if (xs.length > MAX_POINTS * 1.2) { /* trim in steps, not per tick */
        const cut = xs.length - MAX_POINTS;
        xs.splice(0, cut); closes.splice(0, cut); averages.splice(0, cut);
        windowStart = Math.max(0, windowStart - cut);
        windowSum = 0;
        for (let i = windowStart; i < closes.length; i++) windowSum += closes[i];
    }
}

/* One redraw per animation frame, however many events arrive: events stay cheap to take in. */
let drawPending = false;
function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; drawChart(); });
}

/*
 * 1-minute candles of the ticks' closes, drawn under the lines once the chart spans more than
 * CANDLES_AFTER_S (below that there are too few minutes for candles to say anything).
 */
const CANDLES_AFTER_S = 20 * 60;

function minuteCandles() {
    const out = [];
    for (let i = 0; i < xs.length; i++) {
        const m = Math.floor(xs[i] / 60) * 60, c = closes[i], last = out[out.length - 1];
        if (last && last.m === m) {
            last.h = Math.max(last.h, c); last.l = Math.min(last.l, c); last.c = c;
        } else {
            out.push({ m, o: c, h: c, l: c, c });
        }
    }
    return out;
}

function drawCandles(u) {
    if (xs.length < 2 || xs[xs.length - 1] - xs[0] < CANDLES_AFTER_S) return;
    const ctx = u.ctx, px = (v) => u.valToPos(v, "y", true), tx = (v) => u.valToPos(v, "x", true);
    const width = Math.max(1, (tx(60) - tx(0)) * 0.7);
    ctx.save();
    for (const k of minuteCandles()) {
        const x = tx(k.m + 30), top = px(Math.max(k.o, k.c)), bottom = px(Math.min(k.o, k.c));
        ctx.fillStyle = ctx.strokeStyle = k.c >= k.o ? "#2e9e5b" : "#d64545";
        ctx.fillRect(Math.round(x) - 0.5, px(k.h), 1, px(k.l) - px(k.h));
        ctx.fillRect(x - width / 2, top, width, Math.max(1, bottom - top));
    }
    ctx.restore();
}

function drawChart() {
    const box = $("chart");
    const width = Math.max(300, box.clientWidth - 4);
    if (!plot) {
        plot = new uPlot({
            width, height: 320,
            hooks: { drawAxes: [drawCandles] },
            scales: { x: { time: true } },
            axes: [{ stroke: "#8a93a0", grid: { stroke: "#26303b" } },
                   { stroke: "#8a93a0", grid: { stroke: "#26303b" }, size: 80 }],
            series: [{}, { label: "price", stroke: "rgba(247, 147, 26, 0.75)", width: 1, points: { show: false } },
                     { label: "1-h moving average", stroke: "#4aa3ff", width: 1.5 }],
        }, [xs, closes, averages], box);
    } else {
        plot.setData([xs, closes, averages]);
    }
}

function renderSummary(s) {
    if (!s) return;
    stats.epoch = s.epoch;
    $("market-name").textContent = s.market;
    if (s.price) {
        newestUs = s.price.t;
        put("price", s.price.close);
        put("price-time", s.price.t, utc(s.price.t) + " UTC");
    }
    const h = s.hourly, d = s.daily, m = s.moving_avg;
    if (h) {
        put("hourly-start", h.Hour_Start); put("hourly-open", h.Open); put("hourly-high", h.High);
        put("hourly-low", h.Low); put("hourly-close", h.Close); put("hourly-avg", h.Avg_Close);
        put("hourly-count", h.Count, String(h.Count));
    }
    if (d) {
        put("daily-day", d.Day); put("daily-avg", d.Daily_Avg_Close);
        put("daily-min", d.Daily_Min_Close); put("daily-max", d.Daily_Max_Close);
    }
    if (m) {
        put("ma-window", m.Start, m.Start + " to " + m.End.slice(11));
        put("ma-value", m.Moving_Avg_Close);
    }
    const p = s.forecast.persistence, model = s.forecast.model;
    put("fc-persist", p.last_forecast); put("fc-actual", p.last_actual);
    put("fc-persist-rmse", p.rmse); put("fc-persist-n", p.n, String(p.n));
    if (model) {
        put("fc-model", model.prediction); put("fc-model-actual", model.actual);
        put("fc-model-rmse", model.rmse); put("fc-model-n", model.rows, String(model.rows));
        $("fc-note").textContent = "model: last row of the predictions (" + model.timestamp +
            "); baseline RMSE there " + money(model.baseline_rmse);
    } else {
        put("fc-model", null, "no predictions yet");
    }
    const hl = s.health;
    const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
    put("h-batch", hl.batch, hl.batch ? `#${hl.batch}: ${plural(hl.batch_rows, "row")}, ${plural(hl.batch_files, "file")}`
                                       : (hl.has_log ? "-" : "no stream (history only)"));
    put("h-commit", hl.commit_us, hl.commit_us ? utc(hl.commit_us) + " UTC" : "-");
    put("h-rate", hl.ticks_per_s, hl.ticks_per_s.toFixed(1));
    put("h-late", hl.late, String(hl.late));
    put("h-quarantined", hl.quarantined, String(hl.quarantined));
    put("h-gaps", null, hl.gaps == null ? "not reported by this source" : String(hl.gaps));
    put("h-upload", null, hl.upload == null ? "not reported" : hl.upload);
    $("h-error").textContent = hl.error || "";
    showLag();
}

function showLag() {
    if (newestUs == null) return;
    const s = (Date.now() * 1000 - newestUs) / 1e6;
    put("h-lag", s, s < 120 ? s.toFixed(1) + " s" : (s / 3600).toFixed(1) + " h");
}

function onTicks(e) {
    const d = JSON.parse(e.data);
    const received = Date.now();
    stats.events++;
    let added = 0;
    for (const t of d.ticks) {
        if (t.id <= stats.lastId) { stats.duplicates++; continue; }
        if (t.id !== stats.lastId + 1) stats.gaps++;
        addTick(t);
        stats.lastId = t.id;
        added++;
    }
    if (added) {
        stats.updates++;
        scheduleDraw();
    }
    if (d.summary) {
        if (d.summary.health.commit_us && added)
            stats.latencies_ms.push(received - d.summary.health.commit_us / 1000);
        renderSummary(d.summary);
    }
    put("h-ticks", stats.lastId, String(xs.length));
}

function connect() {
    if (source) source.close();
    source = new EventSource(`/events?after=${stats.lastId}&epoch=${stats.epoch}`);
    source.addEventListener("ticks", onTicks);
    source.addEventListener("summary", (e) => renderSummary(JSON.parse(e.data)));
    source.addEventListener("reset", () => { source.close(); load(); });
    source.onopen = () => { $("conn").textContent = "live"; $("conn").className = "conn live"; };
    source.onerror = () => { $("conn").textContent = "reconnecting"; $("conn").className = "conn"; };
}

async function markets() {
    const m = await (await fetch("/api/markets")).json();
    const sel = $("market");
    sel.replaceChildren(...m.markets.map((x) => new Option(x.name, x.name, false,
                                                            x.name === m.selected)));
    sel.hidden = m.markets.length < 2; /* a selector only when there is a choice */
}

async function load() {
    stats.loads++;
    const t = await (await fetch(`/api/ticks?limit=${FIRST_LOAD}&compact=1`)).json();
    resetSeries();
    stats.epoch = t.epoch;
    for (const tick of t.ticks) addTick(tick);
    stats.lastId = t.last_id;
    drawChart();
    renderSummary(await (await fetch("/api/summary")).json());
    put("h-ticks", stats.lastId, String(xs.length));
    connect();
}

window.addEventListener("resize", () => plot && plot.setSize({ width: Math.max(300,
    $("chart").clientWidth - 4), height: 320 }));
setInterval(showLag, 1000);
markets().then(load).catch((err) => { $("h-error").textContent = String(err); });
