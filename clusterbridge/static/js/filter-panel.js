/* The filter panel of list pages (docs/filter-panel.md), enhanced: a ticked box, a chosen
 * option or a changed field applies at once. The page is fetched as a whole from the same
 * address a submission would load, and the parts marked data-filter-swap (results, facet
 * counts, chips, the "Show N results" button) are replaced by their new versions; the
 * address bar follows. Without this script the form is an ordinary GET form. */
(function () {
  "use strict";

  function label(button) {
    var total = Number(button.dataset.total || 0);
    var noun = total === 1 ? button.dataset.one : button.dataset.many;
    button.textContent = "Show " + total.toLocaleString("en") + " " + noun;
  }

  function queryOf(form) {
    var params = new URLSearchParams();
    var defaults = new URLSearchParams(form.dataset.defaults || "");
    new FormData(form).forEach(function (value, name) {
      if (value !== "" && defaults.get(name) !== value) params.append(name, value);
    });
    return params.toString();
  }

  function swap(doc) {
    var active = document.activeElement && document.activeElement.id;
    var open = {};
    var scroll = {};
    document.querySelectorAll("[data-filter-swap] details[open], details[data-filter-swap][open]").forEach(function (d) {
      if (d.id) open[d.id] = true;
    });
    document.querySelectorAll("[data-filter-swap]").forEach(function (el) {
      var list = el.querySelector(".checks");
      if (el.id && list) scroll[el.id] = list.scrollTop;
    });
    document.querySelectorAll("[data-filter-swap]").forEach(function (el) {
      var fresh = el.id && doc.getElementById(el.id);
      if (!fresh) return;
      if (fresh.tagName === "DETAILS" && open[fresh.id]) fresh.open = true;
      el.replaceWith(document.importNode(fresh, true));
    });
    Object.keys(scroll).forEach(function (id) {
      var list = document.getElementById(id) && document.getElementById(id).querySelector(".checks");
      if (list) list.scrollTop = scroll[id];
    });
    if (active && document.getElementById(active)) document.getElementById(active).focus();
  }

  function enhance(form) {
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(status);
    form.classList.add("is-live");
    var pending = null;
    var current = queryOf(form);

    function refresh() {
      var query = queryOf(form);
      if (query === current) return Promise.resolve();
      current = query;
      var url = form.action.split("?")[0] + (query ? "?" + query : "");
      if (pending) pending.abort();
      pending = new AbortController();
      form.setAttribute("aria-busy", "true");
      return fetch(url, { headers: { "X-Filter-Panel": "1" }, signal: pending.signal, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          swap(doc);
          history.replaceState(null, "", url + location.hash);
          var button = form.querySelector(".filter-apply");
          if (button) {
            label(button);
            status.textContent = button.textContent.replace("Show ", "") + " found";
          }
        })
        .catch(function (error) {
          // Aborted by a newer change: that one will finish the job. Anything else: let the
          // browser load the page the ordinary way.
          if (error.name !== "AbortError") window.location.assign(url);
        })
        .finally(function () {
          form.removeAttribute("aria-busy");
        });
    }

    form.addEventListener("change", function () {
      refresh();
    });
    form.addEventListener("submit", function (event) {
      // The results are already those of the form: show them (on a phone this closes the
      // panel) instead of loading the same page again.
      event.preventDefault();
      refresh().then(function () {
        if (location.hash !== "#results") location.hash = "results";
        var results = document.getElementById("results");
        if (results) results.focus({ preventScroll: true });
      });
    });
    var button = form.querySelector(".filter-apply");
    if (button) label(button);
  }

  document.querySelectorAll("form[data-filter-panel]").forEach(enhance);
})();
