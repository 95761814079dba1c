// The scale loop's picture: four panels over time — offered and answered load, replicas (spec and
// ready), per-pod in-flight against the HPA target, p99 — as an SVG, rendered to PNG by the
// system Chromium (headless --screenshot), so no plotting library is needed.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

const W = 1000;
const PANEL = 150;
const GAP = 40;
const LEFT = 70;
const RIGHT = 20;
const TOP = 40;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * @param {{ t: number, [k: string]: number | null }[]} series  one row per time bin
 * @param {{ title: string, target: number, phases: { name: string, start: number, end: number }[] }} meta  phase times in s
 */
export function scaleLoopSvg(series, meta) {
  const tMax = Math.max(...series.map((r) => r.t)) || 1;
  const x = (t) => LEFT + ((W - LEFT - RIGHT) * t) / tMax;
  const panels = [
    {
      label: 'calls/s',
      lines: [
        ['offered', '#888', 'offered'],
        ['answered', '#1f77b4', 'answered'],
      ],
    },
    {
      label: 'replicas',
      lines: [
        ['specReplicas', '#d62728', 'spec (HPA)'],
        ['readyReplicas', '#2ca02c', 'ready'],
      ],
      step: true,
    },
    {
      label: 'in-flight per pod',
      lines: [
        ['inFlightPerPod', '#9467bd', 'mean'],
        ['inFlightMax', '#c5b0d5', 'max'],
      ],
      hline: meta.target,
    },
    { label: 'p99 ms', lines: [['p99', '#ff7f0e', 'p99 latency']] },
  ];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${TOP + panels.length * (PANEL + GAP) + 10}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${esc(meta.title)}</text>`,
  ];
  panels.forEach((panel, i) => {
    const y0 = TOP + i * (PANEL + GAP);
    const values = panel.lines.flatMap(([key]) => series.map((r) => r[key])).filter((v) => typeof v === 'number');
    const yMax = Math.max(1, panel.hline ?? 0, ...values) * 1.1;
    const y = (v) => y0 + PANEL - (PANEL * v) / yMax;
    parts.push(`<rect x="${LEFT}" y="${y0}" width="${W - LEFT - RIGHT}" height="${PANEL}" fill="none" stroke="#ccc"/>`);
    for (const phase of meta.phases) {
      parts.push(`<line x1="${x(phase.start)}" x2="${x(phase.start)}" y1="${y0}" y2="${y0 + PANEL}" stroke="#eee"/>`);
      if (i === 0) parts.push(`<text x="${x(phase.start) + 4}" y="${y0 + 12}" fill="#999">${esc(phase.name)}</text>`);
    }
    for (const f of [0, 0.5, 1]) {
      const v = (yMax / 1.1) * f;
      parts.push(`<text x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v >= 10 ? v.toFixed(0) : v.toFixed(1)}</text>`);
    }
    parts.push(
      `<text x="12" y="${y0 + PANEL / 2}" transform="rotate(-90 12 ${y0 + PANEL / 2})" text-anchor="middle">${esc(panel.label)}</text>`,
    );
    if (panel.hline !== undefined) {
      parts.push(
        `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(panel.hline)}" y2="${y(panel.hline)}" stroke="#9467bd" stroke-dasharray="4 4"/>`,
      );
      parts.push(`<text x="${W - RIGHT - 4}" y="${y(panel.hline) - 4}" text-anchor="end" fill="#9467bd">HPA target ${panel.hline}</text>`);
    }
    panel.lines.forEach(([key, color, name], j) => {
      let d = '';
      let prev;
      for (const r of series) {
        const v = r[key];
        if (typeof v !== 'number') {
          prev = undefined;
          continue;
        }
        if (prev === undefined) d += `M${x(r.t).toFixed(1)},${y(v).toFixed(1)}`;
        else if (panel.step) d += `H${x(r.t).toFixed(1)}V${y(v).toFixed(1)}`;
        else d += `L${x(r.t).toFixed(1)},${y(v).toFixed(1)}`;
        prev = v;
      }
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
      parts.push(`<text x="${LEFT + 8 + j * 130}" y="${y0 + PANEL + 16}" fill="${color}">■ ${esc(name)}</text>`);
    });
  });
  const yAxis = TOP + panels.length * (PANEL + GAP) - GAP + 30;
  parts.push(`<text x="${W - RIGHT}" y="${yAxis}" text-anchor="end" fill="#555">time (s) — 0 … ${tMax.toFixed(0)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Writes `svg` to `svgPath` and, when Chromium is installed, a PNG of it to `pngPath`; returns whether the PNG was written. */
export function writePlot(svg, svgPath, pngPath) {
  writeFileSync(svgPath, svg);
  if (!CHROMIUM) return false;
  const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--window-size=${w},${h}`,
      `--screenshot=${pngPath}`,
      `file://${svgPath}`,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  return existsSync(pngPath);
}
