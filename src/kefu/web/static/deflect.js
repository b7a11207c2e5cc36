// Ticket form: help articles that may answer the question, shown as the customer types
// the subject. Each link names this form (`from_form`, signed by the server), so an article opened here and a
// form never sent count as a deflected ticket. Plain script, no build step; without JS
// the form works as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-deflect-url]");
  if (!form) { return; }
  var subject = form.querySelector("input[name=subject]");
  var box = document.getElementById("kb-deflect");
  var list = box.querySelector("ul");
  var formRef = form.getAttribute("data-form-ref") || "";  // the form's id, signed
  var url = form.getAttribute("data-deflect-url");
  var lang = form.getAttribute("data-lang") || "";
  var timer = null, last = "";

  function show(results) {
    list.innerHTML = "";
    results.slice(0, 3).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url + (r.url.indexOf("?") < 0 ? "?" : "&") + "from_form=" + encodeURIComponent(formRef);
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = r.title;  // textContent: titles are never parsed as HTML
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = results.length === 0;
  }

  function lookUp() {
    var q = subject.value.trim();
    if (q === last) { return; }
    last = q;
    if (q.length < 2) { show([]); return; }
    fetch(url + "?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(lang) + "&limit=3",
          { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (subject.value.trim() === q) { show(data.results || []); } })
      .catch(function () { show([]); });
  }

  subject.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookUp, 250); });
})();
