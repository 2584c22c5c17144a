"""Small browser-side widgets (Vue templates): the page's address, a clickable image, a size.

:class:`UrlState` keeps the page's state in its address (``?scenario=…&month=…``)
so that a reload, or the address sent to a colleague, opens the same run: once
mounted it reports the address it was opened with (``on_restore``), and from
then on writes each new ``query`` with ``history.replaceState`` (no new history
entry, no navigation, nothing else redrawn). Until the page has read the
address, ``query`` is None and nothing is written.

:class:`ClickImage` is an image that reports where it was clicked, as
fractions of the picture from its top left (letterboxing by ``object-fit:
contain`` taken out), for the map's "click a cell".

:class:`SizeReporter` reports the size in CSS pixels of the closest enclosing
``.tile-figure`` box (``size``), and again whenever it changes (a window
resized, presentation mode), so that a chart is drawn at the size it is shown:
its texts are then as many pixels high as their font size in points.
"""

from __future__ import annotations

import ipyvuetify as v
import traitlets

URL_TEMPLATE = """
<template><span class="asmsim-url-state" style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    this.restore(window.location.search.replace(/^[?]/, ""));
  },
  watch: {
    query(value) {
      if (value === null || value === undefined) return;
      const url = new URL(window.location.href);
      url.search = value;
      if (url.href !== window.location.href) {
        window.history.replaceState(window.history.state, "", url.href);
      }
    },
  },
};
</script>
"""

IMAGE_TEMPLATE = """
<template>
  <img :src="src" :alt="alt" :class="css_class" @click="clicked" />
</template>
<script>
module.exports = {
  methods: {
    clicked(event) {
      const img = event.target;
      const box = img.getBoundingClientRect();
      const scale = Math.min(box.width / (img.naturalWidth || 1),
                             box.height / (img.naturalHeight || 1));
      const width = (img.naturalWidth || 1) * scale, height = (img.naturalHeight || 1) * scale;
      const left = box.left + (box.width - width) / 2, top = box.top + (box.height - height) / 2;
      this.click({x: (event.clientX - left) / width, y: (event.clientY - top) / height});
    },
  },
};
</script>
"""

SIZE_TEMPLATE = """
<template><span class="asmsim-size-reporter" style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    const box = this.$el.closest(".tile-figure") || this.$el.parentElement;
    let timer = null;
    const report = () => {
      const rect = box.getBoundingClientRect();
      const size = [Math.round(rect.width), Math.round(rect.height)];
      if (size[0] > 0 && size[1] > 0 &&
          (!this.size || size[0] !== this.size[0] || size[1] !== this.size[1])) {
        this.size = size;
      }
    };
    this.observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(report, 100);
    });
    this.observer.observe(box);
  },
  destroyed() {
    if (this.observer) this.observer.disconnect();
  },
};
</script>
"""


class UrlState(v.VuetifyTemplate):
    """Reads the address the page was opened with, then keeps ``query`` in it."""

    template = traitlets.Unicode(URL_TEMPLATE).tag(sync=True)
    query = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    on_restore = traitlets.Callable(None, allow_none=True)

    def vue_restore(self, search: str) -> None:
        """Called once by the browser with the address's query string."""
        if self.on_restore is not None:
            self.on_restore(search or "")


class ClickImage(v.VuetifyTemplate):
    """An image (``src``: a data URL) calling ``on_click(fx, fy)`` where it is clicked."""

    template = traitlets.Unicode(IMAGE_TEMPLATE).tag(sync=True)
    src = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    css_class = traitlets.Unicode("").tag(sync=True)
    on_click = traitlets.Callable(None, allow_none=True)

    def vue_click(self, data: dict) -> None:
        """Called by the browser with the click's place, fractions of the picture."""
        if self.on_click is not None:
            self.on_click(float(data.get("x", -1)), float(data.get("y", -1)))


class SizeReporter(v.VuetifyTemplate):
    """Keeps ``size`` ([width, height], CSS pixels) of the enclosing ``.tile-figure`` box."""

    template = traitlets.Unicode(SIZE_TEMPLATE).tag(sync=True)
    size = traitlets.List(traitlets.Int(), default_value=[]).tag(sync=True)
