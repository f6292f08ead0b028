/* evidence-graph page.
 *
 * Data arrives as JSON in script elements of type application/json and is
 * only ever put into the page as text (textContent, setAttribute on safe
 * attributes, canvas labels): never as HTML. Positions come precomputed;
 * physics stays off, so the page is ready as soon as it has drawn once.
 */
(function () {
  "use strict";

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  var NODES = readJSON("evg-nodes");
  var EDGES = readJSON("evg-edges");
  var DATA = readJSON("evg-data");
  var DETAILS = DATA.details;
  var BIG = NODES.length > 2000;

  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  // Colours come from the shared palette (graph.render.palette), the same one
  // the HTML report uses; only widths and arrow heads are decided here.
  var PALETTE = DATA.palette;
  var STATUS = PALETTE.status;
  var KIND = { claim: { label: "Claims" } };
  Object.keys(PALETTE.kind).forEach(function (k) { KIND[k] = PALETTE.kind[k]; });
  var SHAPE = {
    supports: { width: 2.4, arrow: "arrow" },
    disputes: { width: 2.4, arrow: "arrow" },
    states: { width: 1, arrow: "arrow" },
    reports: { width: 1, arrow: "arrow" },
    rejects: { width: 1.8, arrow: "bar" },
    about: { width: 1, arrow: null },
    contradicts: { width: 2.6, arrow: "both" }
  };
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }
  var EDGE = {};
  Object.keys(PALETTE.link).forEach(function (k) {
    var p = PALETTE.link[k];
    EDGE[k] = {
      label: p.label,
      color: p.alpha < 1 ? rgba(p.color, p.alpha) : p.color,
      solid: p.color,
      width: SHAPE[k].width,
      arrow: SHAPE[k].arrow
    };
  });
  // The narrow (phone) layout: bigger dots, the page scrolls instead of the panel.
  var NARROW = window.matchMedia && window.matchMedia("(max-width: 760px)").matches;
  // Claim labels are drawn only when at least 12 px on screen (vis-network
  // skips a label below drawThreshold - 1); READ is the scale where they are.
  var CLAIM_FONT = 12;
  var LABEL_MIN_PX = 12;
  // vis-network fades a label in between drawThreshold - 1 and drawThreshold
  // px, so claim labels are fully drawn from READ on, at 13 px.
  var READ = (LABEL_MIN_PX + 1) / CLAIM_FONT;
  var CLAIM_SIZE = NARROW ? 15 : 11;
  var NODE_MIN_PX = 10.5;  // least diameter of a claim's dot on a phone at the first view
  var DASHES = [7, 5];

  // --- vis data --------------------------------------------------------------

  function group(color, border, extra) {
    var g = {
      color: {
        background: color, border: border,
        highlight: { background: color, border: "#000000" },
        hover: { background: color, border: "#000000" }
      },
      borderWidth: 1.5,
      borderWidthSelected: 3
    };
    for (var k in extra) g[k] = extra[k];
    return g;
  }
  // Every label is drawn at LABEL_MIN_PX or more, or not at all; sources,
  // articles and topics are bigger in layout units, so they can be read
  // in the overview, and capped on screen (maxVisible) so they do not
  // dwarf the claims when zoomed in.
  // Bigger labels (sources, articles, topics) are capped on screen by
  // capLabels: vis-network's own maxVisible only changes their fading.
  var BIG_FONT = { source: 30, article: 28, topic: 24 };
  var BIG_MAX_PX = 16;
  var labelScaling = function (maxVisible) { return { label: { drawThreshold: LABEL_MIN_PX + 1, maxVisible: maxVisible } }; };
  var groups = {
    source: group(KIND.source.color, KIND.source.border, {
      shape: "diamond",
      font: { face: FONT, size: BIG_FONT.source, color: KIND.source.border, strokeWidth: 5, strokeColor: "#ffffff" },
      widthConstraint: { maximum: 200 },
      scaling: labelScaling(16)
    }),
    article: group(KIND.article.color, KIND.article.border, {
      shape: "box",
      margin: { top: 9, bottom: 9, left: 12, right: 12 },
      widthConstraint: { maximum: 280 },
      font: { face: FONT, size: BIG_FONT.article, color: "#ffffff" },
      shapeProperties: { borderRadius: 6 },
      scaling: labelScaling(16)
    }),
    topic: group(KIND.topic.color, KIND.topic.border, {
      shape: "hexagon",
      widthConstraint: { maximum: 150 },
      font: { face: FONT, size: BIG_FONT.topic, color: KIND.topic.border, strokeWidth: 5, strokeColor: "#ffffff" },
      scaling: labelScaling(15)
    })
  };
  Object.keys(STATUS).forEach(function (s) {
    groups["claim-" + s] = group(STATUS[s].color, STATUS[s].border, {
      shape: "dot",
      size: CLAIM_SIZE,
      widthConstraint: { maximum: 176 },
      font: { face: FONT, size: CLAIM_FONT, color: "#212529", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: labelScaling(22)
    });
  });

  function edgeStyle(e, i) {
    var s = EDGE[e.kind];
    var out = {
      id: i,
      from: e.from,
      to: e.to,
      kind: e.kind,
      width: s.width,
      color: { color: s.color, highlight: s.solid || s.color, hover: s.solid || s.color, inherit: false },
      dashes: e.dashed ? DASHES : false
    };
    if (s.arrow === "arrow") out.arrows = { to: { enabled: true, scaleFactor: 0.55 } };
    else if (s.arrow === "bar") out.arrows = { to: { enabled: true, type: "bar", scaleFactor: 0.6 } };
    else if (s.arrow === "both") out.arrows = { to: { enabled: true, scaleFactor: 0.55 }, from: { enabled: true, scaleFactor: 0.55 } };
    if (e.kind === "contradicts") out.smooth = { enabled: true, type: "curvedCW", roundness: 0.2 };
    return out;
  }

  // On a phone the scale never goes below where a claim's dot is NODE_MIN_PX
  // across; a kind whose smallest node is smaller than a claim's dot is drawn
  // bigger there, in proportion, so every node is at least NODE_MIN_PX too.
  if (NARROW) {
    var least = {};
    NODES.forEach(function (n) { if (n.size && !(least[n.kind] <= n.size)) least[n.kind] = n.size; });
    NODES.forEach(function (n) { if (n.size && least[n.kind] < CLAIM_SIZE) n.size = n.size * CLAIM_SIZE / least[n.kind]; });
  }
  var nodeById = {};
  NODES.forEach(function (n) { nodeById[n.id] = n; });
  var visEdges = EDGES.map(edgeStyle);
  var adjacency = {};
  visEdges.forEach(function (e) {
    (adjacency[e.from] = adjacency[e.from] || []).push(e.to);
    (adjacency[e.to] = adjacency[e.to] || []).push(e.from);
  });

  // --- state: filters and focus --------------------------------------------------

  var shownKinds = { claim: true, source: true, article: true, topic: true };
  var shownStatus = { supported: true, "low-rank": true, contested: true, "no-source": true };
  var shownEdges = {};
  Object.keys(EDGE).forEach(function (k) { shownEdges[k] = true; });
  var focusOn = false;
  var focusDepth = 1;
  var focusSet = null;
  var selected = null;

  function statusOf(n) { return n.kind === "claim" ? n.group.slice(6) : null; }
  function nodeVisible(n) {
    if (!shownKinds[n.kind]) return false;
    if (n.kind === "claim" && shownStatus[statusOf(n)] === false) return false;
    return !focusSet || focusSet.has(n.id);
  }
  var nodesDS = new vis.DataSet(NODES);
  var edgesDS = new vis.DataSet(visEdges);
  var visibleIds = null;
  var nodesView = new vis.DataView(nodesDS, { filter: nodeVisible });
  var edgesView = new vis.DataView(edgesDS, {
    filter: function (e) {
      return shownEdges[e.kind] && (!visibleIds || (visibleIds.has(e.from) && visibleIds.has(e.to)));
    }
  });

  function neighbourhood(start, depth) {
    // Articles and topics are reached but not walked through: nearly every
    // claim shares one, and walking through them would reach everything.
    var seen = new Set([start]);
    var frontier = [start];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (id) {
        var n = nodeById[id];
        if (id !== start && (n.kind === "article" || n.kind === "topic")) return;
        (adjacency[id] || []).forEach(function (o) {
          if (!seen.has(o)) { seen.add(o); next.push(o); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  // Apply filters and focus; the view is refitted to what stays visible
  // (unless fit is false), and a selected node that is now hidden is let go.
  function refresh(fit) {
    hideTooltip();
    focusSet = focusOn && selected ? neighbourhood(selected, focusDepth) : null;
    nodesView.refresh();
    visibleIds = new Set(nodesView.getIds());
    if (selected && !visibleIds.has(selected)) {
      unselect();
      focusSet = null;
      nodesView.refresh();
      visibleIds = new Set(nodesView.getIds());
    }
    edgesView.refresh();
    updateCounts();
    if (fit !== false) fitView();
  }

  // --- the network ------------------------------------------------------------------

  var container = document.getElementById("canvas");
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 1 },
    nodes: { font: { face: FONT } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5, arrowStrikethrough: false },
    groups: groups,
    interaction: {
      hover: !BIG,
      tooltipDelay: 150,
      hideEdgesOnDrag: BIG,
      hideEdgesOnZoom: BIG,
      multiselect: false,
      navigationButtons: false,
      keyboard: false
    }
  };
  visibleIds = new Set(nodesView.getIds());
  edgesView.refresh();
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, options);

  // Fit the visible nodes, labels included, into the canvas. vis-network's
  // own fit measures labels at the scale it starts from, so labels that grow
  // or appear at the new scale can end up cut at the edges; this measures
  // the bounding boxes (shape and label) itself and repeats once at the new
  // scale. On a narrow canvas the scale never makes claim dots smaller than
  // NODE_MIN_PX while the drawing's height still fits: the rest pans sideways.
  var PAD = 14;
  // withLabels false: claims count by their dot alone (their labels are not
  // drawn at a scale below READ, so they cannot be cut).
  function visibleRange(withLabels) {
    var ids = nodesView.getIds();
    if (!ids.length) return null;
    var r = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    var pos = network.getPositions(ids);
    ids.forEach(function (id) {
      var b;
      if (!withLabels && nodeById[id].kind === "claim") {
        var p = pos[id];
        b = { left: p.x - CLAIM_SIZE, right: p.x + CLAIM_SIZE, top: p.y - CLAIM_SIZE, bottom: p.y + CLAIM_SIZE };
      } else b = network.getBoundingBox(id);
      if (!b) return;
      if (b.left < r.left) r.left = b.left;
      if (b.right > r.right) r.right = b.right;
      if (b.top < r.top) r.top = b.top;
      if (b.bottom > r.bottom) r.bottom = b.bottom;
    });
    return r.left === Infinity ? null : r;
  }
  function fitScale(r) {
    var w = Math.max(1, container.clientWidth - 2 * PAD), h = Math.max(1, container.clientHeight - 2 * PAD);
    var sw = w / Math.max(1, r.right - r.left), sh = h / Math.max(1, r.bottom - r.top);
    var s = Math.min(sw, sh, 1.4);
    var nodes = NODE_MIN_PX / (2 * CLAIM_SIZE);
    if (NARROW && s < nodes) s = Math.max(nodes, Math.min(sh, 1.5 * nodes));
    return s;
  }
  var fitted = 1;  // the scale of the last fit: zooming out stops there
  // vis-network fades a label in between 12 and 13 px: a fit never stops
  // where the labels of claims, sources, articles or topics would be faded,
  // it goes down to where they are not drawn at all.
  var FADES = [CLAIM_FONT, BIG_FONT.source, BIG_FONT.article, BIG_FONT.topic].map(function (f) {
    return [LABEL_MIN_PX / f, (LABEL_MIN_PX + 1) / f];
  });
  function noFade(s) {
    for (var moved = true; moved;) {
      moved = false;
      FADES.forEach(function (z) { if (s >= z[0] && s < z[1]) { s = z[0] * 0.999; moved = true; } });
    }
    return s;
  }
  function fitView() {
    hideTooltip();
    for (var pass = 0; pass < (BIG ? 1 : 2); pass++) {
      var r = visibleRange(false);
      if (!r) return;
      fitted = noFade(fitScale(r));
      if (fitted >= READ) { r = visibleRange(true); fitted = noFade(fitScale(r)); }
      network.moveTo({ position: { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2 }, scale: fitted, animation: false });
      if (!BIG) { capLabels(); network.redraw(); }
    }
  }
  // vis-network fades a label in between 12 and 13 px. capLabels keeps every
  // label out of that band at the current scale: a source's, an article's or
  // a topic's is drawn whole at 13 px there, a claim's not at all (it comes
  // at 13 px from READ on, where its layout has room for it). It also caps
  // the bigger labels at BIG_MAX_PX on screen.
  var capped = {};
  function capLabels() {
    var s = network.getScale(), change = {}, any = false;
    Object.keys(groups).forEach(function (k) {
      var claim = k.slice(0, 6) === "claim-";
      var size = claim ? CLAIM_FONT : Math.min(BIG_FONT[k], BIG_MAX_PX / s);
      if (size * s >= LABEL_MIN_PX && size * s < LABEL_MIN_PX + 1) size = (claim ? LABEL_MIN_PX * 0.999 : LABEL_MIN_PX + 1) / s;
      if (Math.abs((capped[k] || groups[k].font.size) - size) > 0.01) {
        capped[k] = size;
        groups[k].font.size = size;  // the whole group: vis-network replaces a group's options
        change[k] = groups[k];
        any = true;
      }
    });
    if (any) network.setOptions({ groups: change });
  }
  function zoomBy(direction) {
    hideTooltip();
    var s = network.getScale();
    var next = direction > 0 ? (s < READ * 0.999 ? READ : s * 1.5) : Math.max(fitted, s / 1.5);
    network.moveTo({ scale: next, animation: false });
    capLabels();
  }
  // Centre a node, zoomed out (never in) until what is visible fits around it.
  // On a phone the dots keep their least size: when that leaves no room to
  // fit everything around the centred node, the fitted view stays and only
  // moves towards the node as far as it can without cutting the drawing.
  function centreOn(id) {
    var pos = network.getPositions([id])[id];
    if (!pos) return;
    var r = visibleRange(network.getScale() >= READ);
    var w = container.clientWidth / 2 - PAD, h = container.clientHeight / 2 - PAD;
    var s = Math.min(network.getScale(),
      w / Math.max(1, pos.x - r.left, r.right - pos.x), h / Math.max(1, pos.y - r.top, r.bottom - pos.y));
    if (NARROW && s < NODE_MIN_PX / (2 * CLAIM_SIZE)) s = network.getScale();
    fitted = noFade(s);
    var at = { x: within(pos.x, r.left, r.right, w / fitted), y: within(pos.y, r.top, r.bottom, h / fitted) };
    network.moveTo({ position: at, scale: fitted, animation: false });
    capLabels();
  }
  // The view's centre nearest to c that shows all of [lo, hi] within half a
  // view of half-width; c itself when the range is wider than the view.
  function within(c, lo, hi, half) {
    if (hi - lo > 2 * half) return c;
    return Math.min(Math.max(c, hi - half), lo + half);
  }

  // --- DOM helpers: text only ------------------------------------------------------------

  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      for (var k in props) {
        if (k === "text") node.textContent = props[k];
        else if (k === "className") node.className = props[k];
        else if (k === "style") node.style.cssText = props[k];
        else if (k === "onclick") node.addEventListener("click", props[k]);
        else node.setAttribute(k, props[k]);
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function nodeName(id) {
    var d = DETAILS[id];
    var n = nodeById[id];
    if (!d) return n ? n.label : id;
    if (d.kind === "claim") return d.text || id;
    if (d.kind === "article") return d.title;
    return d.label || (n && n.label) || id;
  }
  function colourOf(id) {
    var n = nodeById[id];
    if (!n) return "#adb5bd";
    if (n.kind === "claim") return (STATUS[statusOf(n)] || STATUS["no-source"]).color;
    return KIND[n.kind].color;
  }
  function nodeLink(id, extra) {
    var item = el("li", null, el("span", { className: "dot", style: "background:" + colourOf(id) }));
    item.appendChild(el("button", { type: "button", onclick: function () { select(id, true); } }, nodeName(id)));
    if (extra) item.appendChild(el("span", { className: "meta" }, extra));
    return item;
  }
  function linkList(ids, extraFor) {
    var list = el("ul", { className: "linklist" });
    ids.forEach(function (id) { list.appendChild(nodeLink(id, extraFor ? extraFor(id) : null)); });
    return list;
  }
  function doiLink(doi) {
    if (!doi || !/^10\.\S+\/\S+$/.test(doi)) return null;
    var href = "https://doi.org/" + doi.split("/").map(encodeURIComponent).join("/");
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, "doi:" + doi);
  }
  function designText(d) {
    if (!d.design) return "study design not recorded";
    return d.design + (d.rank !== null && d.rank !== undefined ? " (evidence rank " + d.rank + " of 7)" : "");
  }

  // --- the side panel ----------------------------------------------------------------------

  var details = document.getElementById("details");

  function sourceRef(ref, disputing) {
    var s = DETAILS[ref.source] || {};
    var box = el("div", { className: "ref" + (ref.doubtful ? " doubtful" : "") });
    box.appendChild(el("p", { className: "cite" }, s.citation || ref.key));
    var meta = el("div", { className: "meta" }, designText(s));
    var doi = doiLink(s.doi);
    if (doi) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(doi); }
    box.appendChild(meta);
    if (ref.verdict) {
      var v = el("div", { className: "verdict" + (ref.doubtful ? "" : " ok") },
        ref.doubtful ? "Citation checked: " : "Citation checked: ",
        el("strong", null, ref.verdict),
        ref.review ? " — " + ref.review : "");
      box.appendChild(v);
    }
    box.appendChild(el("div", { className: "meta" },
      el("button", { type: "button", className: "chip", onclick: function () { select(ref.source, true); } },
        (disputing ? "disputes · " : "supports · ") + (s.label || ref.key))));
    return box;
  }

  function showClaim(id, d) {
    var st = STATUS[d.status] || STATUS["no-source"];
    details.appendChild(el("div", null,
      el("span", { className: "badge", style: "background:#495057" }, "Claim"),
      el("span", { className: "badge", style: "background:" + st.color, title: st.help }, st.label)));
    details.appendChild(el("h2", null, d.text));
    if (d.topics.length) {
      var chips = el("div", { className: "chips" });
      d.topics.forEach(function (t) {
        chips.appendChild(el("button", { type: "button", className: "chip", onclick: function () { select(t, true); } }, nodeName(t)));
      });
      details.appendChild(chips);
    }
    details.appendChild(el("h3", null, "Supported by (" + d.supports.length + ")"));
    if (!d.supports.length) details.appendChild(el("p", { className: "empty" }, "No source cited in support."));
    d.supports.forEach(function (r) { details.appendChild(sourceRef(r, false)); });
    if (d.disputes.length) {
      details.appendChild(el("h3", null, "Disputed by (" + d.disputes.length + ")"));
      d.disputes.forEach(function (r) { details.appendChild(sourceRef(r, true)); });
    }
    var doubtful = d.supports.concat(d.disputes).filter(function (r) { return r.doubtful; });
    if (doubtful.length) {
      details.appendChild(el("p", { className: "note" },
        "Dashed: a cited source whose review verdict is not “supported”: " +
        doubtful.map(function (r) { return (DETAILS[r.source] || {}).label || r.key; }).join(", ") + "."));
    }
    details.appendChild(el("h3", null, "Stated in (" + d.statements.length + ")"));
    d.statements.forEach(function (s) {
      var who = el("div", { className: "who" });
      who.appendChild(el("button", { type: "button", className: "chip", onclick: function () { select(s.article, true); } }, s.title));
      who.appendChild(document.createTextNode(" " + s.stance + (s.cited.length ? " · cites " + s.cited.join(", ") : " · cites nothing here")));
      details.appendChild(el("div", { className: "stmt" }, who, s.quote ? el("blockquote", null, s.quote) : null));
    });
    if (d.contradicts.length) {
      details.appendChild(el("h3", null, "Contradicts"));
      details.appendChild(linkList(d.contradicts));
    }
    details.appendChild(el("p", { className: "note" }, d.iri));
  }

  function showSource(id, d) {
    details.appendChild(el("div", null, el("span", { className: "badge", style: "background:" + KIND.source.color }, "Source")));
    details.appendChild(el("h2", null, d.label));
    details.appendChild(el("p", null, d.citation || d.title || d.key));
    var meta = el("p", { className: "meta" }, designText(d));
    var doi = doiLink(d.doi);
    if (doi) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(doi); }
    details.appendChild(meta);
    var doubt = new Set(d.doubtful);
    function flag(cid) { return doubt.has(cid) ? "(review: not as cited)" : null; }
    details.appendChild(el("h3", null, "Supports (" + d.supports.length + ")"));
    details.appendChild(d.supports.length ? linkList(d.supports, flag) : el("p", { className: "empty" }, "Cited in support of no claim."));
    details.appendChild(el("h3", null, "Disputes (" + d.disputes.length + ")"));
    details.appendChild(d.disputes.length ? linkList(d.disputes, flag) : el("p", { className: "empty" }, "Cited against no claim."));
    details.appendChild(el("p", { className: "note" }, "bib key " + d.key));
  }

  function showArticle(id, d) {
    details.appendChild(el("div", null, el("span", { className: "badge", style: "background:" + KIND.article.color }, "Article")));
    details.appendChild(el("h2", null, d.title));
    if (d.publisher) details.appendChild(el("p", { className: "meta" }, d.publisher));
    ["asserts", "reports", "rejects"].forEach(function (stance) {
      var ids = d.claims.filter(function (c) { return c.stance === stance; }).map(function (c) { return c.claim; });
      if (!ids.length) return;
      var word = { asserts: "States", reports: "Reports", rejects: "Rejects" }[stance];
      details.appendChild(el("h3", null, word + " (" + ids.length + ")"));
      details.appendChild(linkList(ids));
    });
    details.appendChild(el("p", { className: "note" }, d.iri));
  }

  function showTopic(id, d) {
    details.appendChild(el("div", null, el("span", { className: "badge", style: "background:" + KIND.topic.color }, "Topic")));
    details.appendChild(el("h2", null, d.label));
    details.appendChild(el("h3", null, "Claims (" + d.claims.length + ")"));
    details.appendChild(linkList(d.claims));
    details.appendChild(el("p", { className: "note" }, d.iri));
  }

  function showNothing() {
    details.appendChild(el("h2", null, "Click a node"));
    details.appendChild(el("p", { className: "empty" },
      "Dots are claims, coloured by how well they are backed; diamonds are sources, sized by the claims they back; " +
      "dark boxes are articles; hexagons are topics. Zoom in to read the claims, or search above. Tick “Focus” to see " +
      "only what surrounds the selected node."));
  }

  function showDetails(id) {
    clear(details);
    var d = id ? DETAILS[id] : null;
    if (!d) { showNothing(); return; }
    ({ claim: showClaim, source: showSource, article: showArticle, topic: showTopic })[d.kind](id, d);
    details.parentNode.scrollTop = 0;
  }

  function unselect() {
    selected = null;
    network.unselectAll();
    document.body.removeAttribute("data-selected");
    showDetails(null);
  }

  // Select a node: panel, highlight; move: bring it into view at a scale
  // where its label can be read.
  function select(id, move) {
    if (!nodeById[id]) return;
    hideTooltip();
    selected = id;
    if (!nodesView.get(id)) {  // filtered out: show it again
      var n = nodeById[id];
      shownKinds[n.kind] = true;
      if (n.kind === "claim") shownStatus[statusOf(n)] = true;
      syncChecks();
    }
    if (focusOn || !visibleIds.has(id)) refresh(focusOn);
    network.selectNodes([id]);
    if (move && !focusOn) { network.focus(id, { scale: Math.max(network.getScale(), READ), animation: false }); capLabels(); }
    showDetails(id);
    document.body.setAttribute("data-selected", id);
  }

  var lastPointer = "mouse";
  container.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; hideTooltip(); }, true);
  container.addEventListener("pointermove", function (e) { lastPointer = e.pointerType || "mouse"; }, true);
  container.addEventListener("touchstart", function () { lastPointer = "touch"; hideTooltip(); }, { capture: true, passive: true });
  // A tap on the graph is handled by the network (it selects and scrolls the
  // panel into view); the browser's emulated mouse click that follows must not
  // land on whatever the scroll brought under the finger.
  container.addEventListener("touchend", function (e) { if (e.cancelable) e.preventDefault(); }, { passive: false });

  network.on("click", function (params) {
    hideTooltip();
    if (params.nodes.length) {
      select(params.nodes[0], false);
      // On a phone the panel is below the graph: a tap shows it.
      if (NARROW) document.getElementById("details-box").scrollIntoView({ block: "start" });
    } else if (!params.edges.length) {
      unselect();
      if (focusOn) refresh(true);
    }
  });
  document.getElementById("back").addEventListener("click", function () {
    document.getElementById("graph").scrollIntoView({ block: "start" });
  });

  // --- hover tooltip (text only) ----------------------------------------------------------------
  // It follows the mouse only: never shown for a touch, and closed by any
  // change of the view (pan, zoom, fit, search, filter, selection).

  var tooltip = document.getElementById("tooltip");
  var NO_HOVER = window.matchMedia && window.matchMedia("(hover: none)").matches;
  function hideTooltip() {
    if (!tooltip.hidden) tooltip.hidden = true;
    document.body.removeAttribute("data-tooltip");
  }
  network.on("hoverNode", function (p) {
    if (NO_HOVER || lastPointer !== "mouse" || p.node === selected) return;
    var d = DETAILS[p.node];
    tooltip.textContent = nodeName(p.node) + (d && d.kind === "source" && d.citation ? " — " + d.citation : "");
    tooltip.hidden = false;
    document.body.setAttribute("data-tooltip", p.node);
    var w = container.clientWidth, h = container.clientHeight;
    var x = p.pointer.DOM.x + 16, y = p.pointer.DOM.y + 18;
    var tw = tooltip.offsetWidth, th = tooltip.offsetHeight;
    if (x + tw > w - 4) x = p.pointer.DOM.x - tw - 16;  // left of the pointer, not over the node
    if (y + th > h - 4) y = p.pointer.DOM.y - th - 18;
    tooltip.style.left = Math.max(4, x) + "px";
    tooltip.style.top = Math.max(4, y) + "px";
  });
  network.on("blurNode", hideTooltip);
  network.on("zoom", function () { if (!BIG) capLabels(); });
  ["dragStart", "zoom", "select", "deselectNode", "release"].forEach(function (ev) { network.on(ev, hideTooltip); });
  container.addEventListener("wheel", hideTooltip, { capture: true, passive: true });
  container.addEventListener("mouseleave", hideTooltip);

  // --- search --------------------------------------------------------------------------------

  var haystack = [];
  NODES.forEach(function (n) {
    var d = DETAILS[n.id] || {};
    if (n.kind === "claim") haystack.push([n.id, (d.text + " " + n.id).toLowerCase()]);
    else if (n.kind === "source") haystack.push([n.id, [d.label, d.key, d.citation || "", d.title || ""].join(" ").toLowerCase()]);
  });
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  var timer = null;

  function search(text) {
    var words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var hits = [];
    for (var i = 0; i < haystack.length; i++) {
      var h = haystack[i][1];
      if (words.every(function (w) { return h.indexOf(w) >= 0; })) hits.push(haystack[i][0]);
    }
    return hits;
  }
  function showResults() {
    var hits = search(input.value);
    clear(results);
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!hits.length) results.appendChild(el("li", { className: "none" }, "No claim or source matches."));
    hits.slice(0, 40).forEach(function (id) {
      var kind = nodeById[id].kind;
      results.appendChild(el("li", null,
        el("button", { type: "button", "data-node": id, onclick: function () { results.hidden = true; select(id, true); } },
          el("span", { className: "kind" }, kind), el("span", null, nodeName(id)))));
    });
    if (hits.length > 40) results.appendChild(el("li", { className: "none" }, (hits.length - 40) + " more: type more words."));
    results.hidden = false;
  }
  input.addEventListener("input", function () {
    hideTooltip();
    clearTimeout(timer);
    timer = setTimeout(showResults, BIG ? 150 : 40);
  });
  input.addEventListener("keydown", function (e) {
    hideTooltip();
    if (e.key === "Enter") {
      var first = search(input.value)[0];
      if (first) { results.hidden = true; select(first, true); }
    } else if (e.key === "Escape") {
      results.hidden = true;
    } else if (e.key === "ArrowDown") {
      var b = results.querySelector("button");
      if (b) { e.preventDefault(); b.focus(); }
    }
  });
  document.addEventListener("click", function (e) {
    if (!results.contains(e.target) && e.target !== input) results.hidden = true;
  });

  // --- legend with filters ----------------------------------------------------------------------

  var checks = [];
  function swatchNode(shape, color) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("viewBox", "0 0 26 14");
    var s;
    if (shape === "dot") { s = document.createElementNS(ns, "circle"); s.setAttribute("cx", "13"); s.setAttribute("cy", "7"); s.setAttribute("r", "5.5"); }
    else if (shape === "diamond") { s = document.createElementNS(ns, "polygon"); s.setAttribute("points", "13,0.5 19.5,7 13,13.5 6.5,7"); }
    else if (shape === "box") { s = document.createElementNS(ns, "rect"); s.setAttribute("x", "3"); s.setAttribute("y", "2"); s.setAttribute("width", "20"); s.setAttribute("height", "10"); s.setAttribute("rx", "2"); }
    else { s = document.createElementNS(ns, "polygon"); s.setAttribute("points", "9.5,1 16.5,1 20,7 16.5,13 9.5,13 6,7"); }
    s.setAttribute("fill", color);
    svg.appendChild(s);
    return svg;
  }
  function swatchEdge(kind) {
    var ns = "http://www.w3.org/2000/svg";
    var s = EDGE[kind];
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("viewBox", "0 0 26 14");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "7"); line.setAttribute("x2", "21"); line.setAttribute("y2", "7");
    line.setAttribute("stroke", s.solid || s.color);
    line.setAttribute("stroke-width", String(Math.max(1.5, s.width)));
    if (kind === "dashed") line.setAttribute("stroke-dasharray", "4 3");
    svg.appendChild(line);
    if (s.arrow) {
      var head = document.createElementNS(ns, "polygon");
      head.setAttribute("points", s.arrow === "bar" ? "21,2 24,2 24,12 21,12" : "19,3 25,7 19,11");
      head.setAttribute("fill", s.solid || s.color);
      svg.appendChild(head);
    }
    return svg;
  }
  function checkRow(target, swatch, text, get, set, help) {
    var box = el("input", { type: "checkbox", "data-filter": target });
    box.checked = get();
    box.addEventListener("change", function () { set(box.checked); refresh(true); });
    checks.push([box, get]);
    var label = el("label", help ? { title: help } : null, box, swatch, text);
    return label;
  }
  function syncChecks() { checks.forEach(function (c) { c[0].checked = c[1](); }); }

  function buildLegend() {
    var status = document.getElementById("legend-status");
    Object.keys(STATUS).forEach(function (s) {
      status.appendChild(checkRow("status:" + s, swatchNode("dot", STATUS[s].color), STATUS[s].label,
        function () { return shownStatus[s]; }, function (v) { shownStatus[s] = v; }, STATUS[s].help));
    });
    var kinds = document.getElementById("legend-nodes");
    [["claim", "dot", "#868e96"], ["source", "diamond", KIND.source.color], ["article", "box", KIND.article.color], ["topic", "hexagon", KIND.topic.color]].forEach(function (k) {
      kinds.appendChild(checkRow("kind:" + k[0], swatchNode(k[1], k[2]), KIND[k[0]].label,
        function () { return shownKinds[k[0]]; }, function (v) { shownKinds[k[0]] = v; }));
    });
    var edges = document.getElementById("legend-edges");
    Object.keys(EDGE).forEach(function (k) {
      edges.appendChild(checkRow("edge:" + k, swatchEdge(k), EDGE[k].label,
        function () { return shownEdges[k]; }, function (v) { shownEdges[k] = v; }));
    });
    EDGE.dashed = { color: "#495057", width: 1.5, arrow: null };
    edges.appendChild(el("label", { title: "a cited source whose review verdict is not Supported" }, swatchEdge("dashed"), "not as cited"));
  }

  // --- focus, fit and counts --------------------------------------------------------------------

  var focusBox = document.getElementById("focus");
  var depthSel = document.getElementById("depth");
  focusBox.addEventListener("change", function () { focusOn = focusBox.checked; refresh(true); });
  depthSel.addEventListener("change", function () { focusDepth = parseInt(depthSel.value, 10) || 1; if (focusOn) refresh(true); });
  document.getElementById("fit").addEventListener("click", function () { fitView(); });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(-1); });
  document.getElementById("reset").addEventListener("click", function () {
    Object.keys(shownKinds).forEach(function (k) { shownKinds[k] = true; });
    Object.keys(shownStatus).forEach(function (k) { shownStatus[k] = true; });
    Object.keys(shownEdges).forEach(function (k) { shownEdges[k] = true; });
    focusOn = false; focusBox.checked = false;
    unselect(); syncChecks(); refresh(true);
  });

  var countsLine = document.getElementById("counts");
  function updateCounts() {
    var c = DATA.counts;
    var text = c.claim + " claims · " + c.source + " sources · " + c.article + " articles · " + c.topic + " topics · " + c.edges + " links";
    var shown = visibleIds ? visibleIds.size : c.nodes;
    if (shown !== c.nodes) text += " — showing " + shown + " of " + c.nodes + " nodes";
    countsLine.textContent = text;
  }

  buildLegend();
  showDetails(null);
  updateCounts();
  fitView();
  if (DATA.focus && nodeById[DATA.focus]) {  // evg html --focus: select and centre it
    select(DATA.focus, false);
    centreOn(DATA.focus);
  }

  var api = {
    nodeCount: NODES.length,
    edgeCount: EDGES.length,
    counts: DATA.counts,
    ready: false,
    network: network,
    select: select,
    fitted: function () { return fitted; },
    readScale: READ,
    labelMinPx: LABEL_MIN_PX,
    claimFont: CLAIM_FONT,
    claimSize: CLAIM_SIZE,
    visibleIds: function () { return nodesView.getIds(); },
    visibleNodeCount: function () { return nodesView.length; },
    visibleEdgeCount: function () { return edgesView.length; }
  };
  window.evg = api;
  document.body.setAttribute("data-node-count", String(NODES.length));
  document.body.setAttribute("data-edge-count", String(EDGES.length));
  network.once("afterDrawing", function () {
    api.ready = true;
    api.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  });
})();
