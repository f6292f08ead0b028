// The web editor of `evg serve`: YASGUI over this server's /query, with the
// project's prefixes declared in every tab and one tab per named query.
// Nothing is fetched from any other host (and the page's
// Content-Security-Policy would refuse it).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("evg-data").textContent);
  var endpoint = window.location.origin + "/query";
  document.getElementById("endpoint").textContent = endpoint;
  var descriptions = {};

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    // Fresh tabs on every load: the named queries as the server has them.
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    requestConfig: { endpoint: endpoint, method: "POST" },
    yasqe: {
      value: data.newTab,
      // Prefixes come from the bundled list only, never from prefix.cc;
      // class and property completion would ask the LOV service: off.
      prefixCcApi: null,
      autocompleters: ["prefixes", "variables"],
      collapsePrefixesOnLoad: true,
      persistenceId: null,
      createShortLink: undefined,
    },
    yasr: { persistenceId: null, prefixes: data.prefixes },
  });

  function show(tab) {
    var text = tab ? descriptions[tab.getId()] : "";
    document.getElementById("description").textContent = text || "";
  }

  var first = null;
  data.queries.forEach(function (q, i) {
    // The first tab is opened active (selectTabId needs an active tab already).
    var tab = yasgui.addTab(i === 0, {
      name: q.name,
      yasqe: { value: q.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
    descriptions[tab.getId()] = q.description;
    if (first === null) first = tab;
  });
  yasgui.on("tabSelect", function (instance, id) { show(instance.getTab(id)); });
  if (first !== null) show(first);
  window.evgEditor = yasgui;
})();
