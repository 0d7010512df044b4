(function () {
  "use strict";
  var surfaces = window.EXPLORE_SURFACES || [], settings = window.EXPLORE_SETTINGS || {};
  var byId = {}; surfaces.forEach(function (s) { byId[s.id] = s; });
  var state = { surface: surfaces.length ? surfaces[0].id : null, optimizer: "adam", index: {}, time: null };
  var images = {}, decoded = {}, last = null, timer = null;
  var api = window.explorer = { ready: false, firstFrameMs: null };

  function element(id) { return document.getElementById(id); }
  function bytes(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function load(surface, optimizer) {
    var key = surface + "/" + optimizer;
    if (decoded[key]) return Promise.resolve(decoded[key]);
    return new Promise(function (resolve, reject) {
      var done = function () {
        var d = window.EXPLORE && window.EXPLORE[key];
        if (!d) { reject(new Error("no data for " + key)); return; }
        decoded[key] = {
          doc: d, path: new Uint16Array(bytes(d.path).buffer), cloud: bytes(d.cloudPoints),
          pathLoss: bytes(d.pathLoss), cloudLoss: bytes(d.cloudLoss)
        };
        resolve(decoded[key]);
      };
      if (window.EXPLORE && window.EXPLORE[key]) { done(); return; }
      var tag = document.createElement("script");
      tag.src = byId[surface].files[optimizer];
      tag.onload = done; tag.onerror = function () { reject(new Error("cannot load " + tag.src)); };
      document.head.appendChild(tag);
    });
  }
  function background(surface) {
    if (images[surface.id]) return images[surface.id];
    var image = new Image();
    images[surface.id] = new Promise(function (resolve) {
      image.onload = function () { resolve(image); }; image.onerror = function () { resolve(null); };
    });
    image.src = surface.background;
    return images[surface.id];
  }
  function configOf(d) {  // the grid point the sliders name: C order, the last axis fastest
    var index = 0;
    d.doc.axes.forEach(function (axis) { index = index * axis.values.length + (state.index[axis.name] || 0); });
    return index;
  }
  function params(d) {
    var out = {};
    d.doc.axes.forEach(function (axis) { out[axis.name] = axis.values[state.index[axis.name] || 0]; });
    return out;
  }
  function dequantize(code, low, high, levels) { return low + code / (levels - 1) * (high - low); }
  function pathOf(d, config, surface) {
    var steps = d.doc.steps.length, base = config * steps * 2, out = [], box = surface.stored;
    for (var r = 0; r < steps; r++) {
      out.push([dequantize(d.path[base + 2 * r], box[0][0], box[0][1], 65536),
                dequantize(d.path[base + 2 * r + 1], box[1][0], box[1][1], 65536)]);
    }
    return out;
  }
  function cloudOf(d, config, frame, surface) {
    var k = d.doc.cloud, frames = d.doc.frames.length, base = (config * frames + frame) * k * 2, out = [];
    var box = surface.stored;
    for (var i = 0; i < k; i++) {
      out.push([dequantize(d.cloud[base + 2 * i], box[0][0], box[0][1], 256),
                dequantize(d.cloud[base + 2 * i + 1], box[1][0], box[1][1], 256)]);
    }
    return out;
  }
  function toCanvas(point, surface, canvas) {
    var box = surface.box, w = canvas.clientWidth, h = canvas.clientHeight;
    return [(point[0] - box[0][0]) / (box[0][1] - box[0][0]) * w,
            h - (point[1] - box[1][0]) / (box[1][1] - box[1][0]) * h];
  }
  function prepare(canvas) {  // draw in CSS pixels, sharp on any screen
    var ratio = window.devicePixelRatio || 1, w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio);
    }
    var g = canvas.getContext("2d"); g.setTransform(ratio, 0, 0, ratio, 0, 0); return g;
  }
  function star(g, x, y, r) {
    g.beginPath();
    for (var i = 0; i < 10; i++) {
      var a = -Math.PI / 2 + i * Math.PI / 5, q = i % 2 ? r * 0.45 : r;
      g.lineTo(x + q * Math.cos(a), y + q * Math.sin(a));
    }
    g.closePath(); g.fillStyle = "#ffffff"; g.fill(); g.lineWidth = 1.2; g.strokeStyle = "#000"; g.stroke();
  }
  function drawPaths(surface, d, config, image) {
    var canvas = element("paths"), box = surface.box;
    var aspect = (box[0][1] - box[0][0]) / (box[1][1] - box[1][0]);
    canvas.style.aspectRatio = aspect.toFixed(4);
    canvas.style.width = Math.min(canvas.parentNode.clientWidth - 2,
      Math.round(0.6 * window.innerHeight * aspect)) + "px";
    var g = prepare(canvas), w = canvas.clientWidth, h = canvas.clientHeight;
    g.clearRect(0, 0, w, h);
    if (image) g.drawImage(image, 0, 0, w, h);
    var color = settings.colors[state.optimizer], path = pathOf(d, config, surface);
    var last = Math.min(state.time, path.length - 1);
    var frame = 0;
    d.doc.frames.forEach(function (f, i) { if (f <= last) frame = i; });
    g.fillStyle = "rgba(255,255,255,0.85)";
    cloudOf(d, config, frame, surface).forEach(function (p) {
      var c = toCanvas(p, surface, canvas); g.beginPath(); g.arc(c[0], c[1], 3.5, 0, 2 * Math.PI); g.fill();
    });
    var pixels = path.map(function (p) { return toCanvas(p, surface, canvas); });
    g.lineWidth = 2.5; g.strokeStyle = color; g.lineJoin = "round"; g.beginPath();
    for (var i = 0; i <= last; i++) { if (i) g.lineTo(pixels[i][0], pixels[i][1]); else g.moveTo(pixels[i][0], pixels[i][1]); }
    g.stroke();
    g.fillStyle = "#ffffff"; g.strokeStyle = color; g.lineWidth = 2;
    g.beginPath(); g.arc(pixels[0][0], pixels[0][1], 5, 0, 2 * Math.PI); g.fill(); g.stroke();
    g.fillStyle = color; g.beginPath(); g.arc(pixels[last][0], pixels[last][1], 5, 0, 2 * Math.PI); g.fill();
    surface.minima.forEach(function (m) { var c = toCanvas(m, surface, canvas); star(g, c[0], c[1], 9); });
    return { path: path, pixels: pixels.slice(0, last + 1), canvas: { width: w, height: h } };
  }
  function drawLoss(surface, d, config) {
    var canvas = element("loss"), g = prepare(canvas), w = canvas.clientWidth, h = canvas.clientHeight;
    var left = 52, right = 10, top = 10, bottom = 26, steps = d.doc.steps, n = steps.length, loss = surface.loss;
    g.clearRect(0, 0, w, h);
    var x = function (r) { return left + r / Math.max(1, n - 1) * (w - left - right); };
    var y = function (code) { return top + (1 - code / 255) * (h - top - bottom); };
    g.strokeStyle = "#3a3f48"; g.lineWidth = 1; g.fillStyle = "#9AA0A6"; g.font = "12px sans-serif";
    var ticks = 4;
    for (var i = 0; i <= ticks; i++) {
      var value = loss.low + (loss.high - loss.low) * i / ticks, yy = y(255 * i / ticks);
      g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
      g.fillText(loss.kind === "log" ? "1e" + value.toFixed(0) : value.toPrecision(2), 4, yy + 4);
    }
    g.fillText(loss.kind === "log" ? "f − f*" : "f", 4, h - 8);
    g.fillText("step " + steps[n - 1], w - right - 60, h - 8);
    var series = [[d.pathLoss, settings.colors[state.optimizer], []], [d.cloudLoss, "#ffffff", [5, 4]]];
    series.forEach(function (s) {
      g.strokeStyle = s[1]; g.lineWidth = 2; g.setLineDash(s[2]); g.beginPath();
      for (var r = 0; r < n; r++) { var v = s[0][config * n + r]; if (r) g.lineTo(x(r), y(v)); else g.moveTo(x(r), y(v)); }
      g.stroke();
    });
    g.setLineDash([]); g.strokeStyle = "#9AA0A6"; g.beginPath();
    g.moveTo(x(state.time), top); g.lineTo(x(state.time), h - bottom); g.stroke();
  }
  function sliders(d) {
    var box = element("sliders"); box.innerHTML = "";
    d.doc.axes.forEach(function (axis) {
      if (state.index[axis.name] === undefined || state.index[axis.name] >= axis.values.length) {
        state.index[axis.name] = axis.name === "lr" ? (axis.values.length - 1) / 2 : axis.values.length - 1;
        if (axis.name === "noise" || axis.name === "eps_in_sqrt") state.index[axis.name] = 0;
        if (["beta", "b1"].indexOf(axis.name) >= 0) state.index[axis.name] = Math.max(0, axis.values.indexOf(0.9));
        if (axis.name === "b2") state.index[axis.name] = Math.max(0, axis.values.indexOf(0.999));
      }
      var row = document.createElement("div"); row.className = "slider";
      var label = document.createElement("label"), value = document.createElement("span");
      value.className = "value";
      var input = document.createElement("input");
      input.type = "range"; input.min = 0; input.max = axis.values.length - 1; input.step = 1;
      input.value = state.index[axis.name]; input.id = "slider-" + axis.name;
      input.setAttribute("aria-label", axis.label);
      var show = function () {
        var v = axis.values[state.index[axis.name]];
        value.textContent = typeof v === "boolean" ? (v ? "inside the root" : "outside the root")
          : (axis.name === "lr" ? v.toPrecision(3) : String(v));
      };
      input.addEventListener("input", function () { state.index[axis.name] = +input.value; show(); draw(); });
      label.htmlFor = input.id; label.textContent = axis.label + (axis.name === "lr" ? " (log scale): " : ": ");
      label.appendChild(value); row.appendChild(label); row.appendChild(input); box.appendChild(row); show();
    });
  }
  function formulas() {
    var box = element("formulas"); box.innerHTML = "";
    var shown = (settings.formulas[state.optimizer] || []).concat(settings.formulas.noise || []);
    shown.forEach(function (f) {
      if (f.src) { var image = new Image(); image.src = f.src; image.alt = f.tex;
        image.style.width = (f.width / 12 * 1.05).toFixed(2) + "em"; box.appendChild(image); }
      else { var code = document.createElement("code"); code.textContent = f.tex; box.appendChild(code); }
    });
  }
  function draw() {
    var surface = byId[state.surface], optimizer = state.optimizer;
    return Promise.all([load(surface.id, optimizer), background(surface)]).then(function (loaded) {
      if (surface.id !== state.surface || optimizer !== state.optimizer) return;
      var d = loaded[0], config = configOf(d), steps = d.doc.steps.length;
      if (!element("sliders").firstChild || element("sliders").dataset.key !== surface.id + optimizer) {
        sliders(d); element("sliders").dataset.key = surface.id + optimizer; formulas();
      }
      config = configOf(d);
      if (state.time === null || state.time > steps - 1) state.time = steps - 1;
      var time = element("time"); time.max = steps - 1; time.value = state.time;
      element("step").textContent = "step " + d.doc.steps[state.time] + " of " + d.doc.steps[steps - 1];
      var drawn = drawPaths(surface, d, config, loaded[1]);
      drawLoss(surface, d, config);
      var p = params(d);
      last = { surface: surface.id, optimizer: optimizer, params: p, config: config,
               particle: config * (settings.cloud + 1), steps: d.doc.steps, time: state.time,
               data: drawn.path, pixels: drawn.pixels, canvas: drawn.canvas, box: surface.box,
               stored: surface.stored };
      element("legend").innerHTML = '<span style="color:' + settings.colors[optimizer] + '">— path of one particle</span>'
        + '<span>● cloud of ' + settings.cloud + ' particles started around it</span><span>☆ minimum</span>'
        + '<span>- - median loss of the cloud</span>';
      element("about").textContent = settings.names[optimizer] + " on " + surface.label + ", " +
        surface.steps + " steps from (" + surface.start.join(", ") + "), seed " + settings.seed +
        ". The grid: " + d.doc.axes.map(function (a) { return a.label + " ∈ {" + a.values.join(", ") + "}"; }).join("; ") +
        ". Traced by landscape " + settings.version + " (ls.trace, every grid point at once).";
      if (api.firstFrameMs === null) api.firstFrameMs = performance.now();
      api.ready = true;
    });
  }
  api.drawn = function () { return last; };
  api.draw = draw;
  api.state = function () { return JSON.parse(JSON.stringify(state)); };

  var select = element("surface");
  surfaces.forEach(function (s) { var o = document.createElement("option"); o.value = s.id; o.textContent = s.label; select.appendChild(o); });
  var chooser = element("optimizer");
  Object.keys(settings.names || {}).forEach(function (name) {
    var o = document.createElement("option"); o.value = name; o.textContent = settings.names[name]; chooser.appendChild(o);
  });
  chooser.value = state.optimizer;
  select.addEventListener("change", function () { state.surface = select.value; state.time = null; draw(); });
  chooser.addEventListener("change", function () { state.optimizer = chooser.value; state.time = null; draw(); });
  element("time").addEventListener("input", function () { state.time = +element("time").value; draw(); });
  element("play").addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; element("play").textContent = "play"; return; }
    var max = +element("time").max; state.time = 0; element("play").textContent = "pause";
    timer = setInterval(function () {
      state.time = Math.min(max, state.time + Math.max(1, Math.round(max / 120))); draw();
      if (state.time >= max) { clearInterval(timer); timer = null; element("play").textContent = "play"; }
    }, 33);
  });
  window.addEventListener("resize", function () { if (api.ready) draw(); });
  if (state.surface) draw();
})();
