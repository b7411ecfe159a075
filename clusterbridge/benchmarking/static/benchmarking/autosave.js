// Optional: saves a block's answers a moment after a change, without leaving the page. The
// form works the same without it (its buttons save per block).
(function () {
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name=version]");
  let timer = null;
  function save() {
    const body = new FormData(form);
    fetch(form.action || window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Autosave": "1" },
    }).then(function (response) {
      return response.json().then(function (data) { return [response.status, data]; });
    }).then(function ([code, data]) {
      if (code === 200) {
        version.value = data.version;
        status.textContent = "Saved: " + Math.round(data.completion * 100) + " % answered.";
      } else if (code === 400) {
        status.textContent = "Not saved: check the answers marked when you press Save.";
      } else if (code === 409) {
        status.textContent = "Someone else changed an answer here; press Save to see it.";
      }
    }).catch(function () { status.textContent = "Not saved (no connection); press Save."; });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
})();
