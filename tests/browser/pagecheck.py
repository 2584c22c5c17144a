"""What the browser tests measure on the page: boxes, text sizes, contrast, chart SVGs.

Each check runs a small script in the page and returns a list of problems
(empty when all is well), so that a failing test says what is wrong where.
"""

from __future__ import annotations

#: The blocks of the screen: each inside the viewport, none overlapping another.
BLOCKS = (".asmsim-bar", ".asmsim-panel", ".asmsim-title", ".headline-card", ".tile",
          ".asmsim-legend")

_BOXES = """
(selectors) => {
  const problems = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  const blocks = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect();
      const name = selector + "[" + blocks.filter(b => b.selector === selector).length + "]";
      blocks.push({selector, name, r, el});
      if (r.width < 1 || r.height < 1) problems.push(name + " is not shown");
      if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
        problems.push(`${name} leaves the ${vw}x${vh} viewport: ` +
                      `${Math.round(r.left)},${Math.round(r.top)} to ` +
                      `${Math.round(r.right)},${Math.round(r.bottom)}`);
      }
    }
  }
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const a = blocks[i].r, b = blocks[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) problems.push(`${blocks[i].name} overlaps ${blocks[j].name}`);
    }
  }
  for (const selector of [".tile", ".headline-card", ".map-legend", ".asmsim-title"]) {
    document.querySelectorAll(selector).forEach((el, i) => {
      if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${selector}[${i}] cuts its content off`);
      }
    });
  }
  document.querySelectorAll(".tile-figure").forEach((el, i) => {
    const r = el.getBoundingClientRect();
    if (r.width < 80 || r.height < 80) problems.push(`figure ${i} is only ${r.width}x${r.height}`);
  });
  return problems;
}
"""

_TEXT_SIZES = """
(least) => {
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, noscript")) continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width < 1 || r.height < 1 || style.visibility === "hidden" || style.opacity === "0") {
      continue;
    }
    const ratio = el.offsetWidth ? r.width / el.offsetWidth : 1;  // a scaled (floating) label
    const scale = Math.abs(ratio - 1) > 0.05 ? ratio : 1;  // not pixel rounding
    const size = parseFloat(style.fontSize) * scale;
    if (size < least - 0.01) problems.push(`${size.toFixed(1)} px: "${text.slice(0, 40)}"`);
  }
  return problems;
}
"""

_FONT_SIZE = """(selector) => Array.from(document.querySelectorAll(selector),
                  el => parseFloat(getComputedStyle(el).fontSize))"""

_CONTRAST = """
(selector) => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return Array.from(document.querySelectorAll(selector), (el) => {
    const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    return [el.textContent.trim(), ratio];
  });
}
"""

_SVG = """
(selector) => {
  const img = document.querySelector(selector);
  return img ? fetch(img.src).then(r => r.text()) : "";
}
"""

_IMAGE_BOX = """
(selector) => {
  const img = document.querySelector(selector);
  const box = img.getBoundingClientRect();
  const scale = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight);
  const width = img.naturalWidth * scale, height = img.naturalHeight * scale;
  return [box.left + (box.width - width) / 2, box.top + (box.height - height) / 2, width, height];
}
"""


def layout_problems(page) -> list[str]:
    """Blocks outside the viewport, overlapping, or cutting their content off."""
    return page.evaluate(_BOXES, list(BLOCKS))


def small_text(page, least: float = 16.0) -> list[str]:
    """Visible texts drawn smaller than ``least`` pixels."""
    return page.evaluate(_TEXT_SIZES, least)


def font_sizes(page, selector: str) -> list[float]:
    """The computed font size of each element matching ``selector``."""
    return page.evaluate(_FONT_SIZE, selector)


def contrasts(page, selector: str) -> list[tuple[str, float]]:
    """(text, contrast ratio with its background) of each element matching ``selector``."""
    return [tuple(pair) for pair in page.evaluate(_CONTRAST, selector)]


def chart_svg(page, chart_id: str) -> str:
    """The SVG the browser shows for chart ``chart_id``."""
    return page.evaluate(_SVG, f"img.chart-image-{chart_id}")


def image_box(page, selector: str) -> tuple[float, float, float, float]:
    """Where the picture of an ``object-fit: contain`` image is drawn: left, top, width, height."""
    return tuple(page.evaluate(_IMAGE_BOX, selector))
