// Help center: suggestions while typing (ARIA combobox) and votes without a reload.
// Plain script, no build step. Without JS the search form and vote buttons still work.
(function () {
  "use strict";

  function setupSuggestions(form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector("[role=listbox]");
    var lang = (form.querySelector("input[name=lang]") || {}).value || "";
    var url = form.getAttribute("data-suggest-url");
    var timer = null, active = -1, items = [], lastQuery = "";

    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }

    function show(suggestions) {
      close();
      if (!suggestions.length) { return; }
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "kb-suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = s.title;  // textContent: titles are never parsed as HTML
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = s.url; });
        li.dataset.url = s.url;
        list.appendChild(li);
        items.push(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (!q) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(lang), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) { show(data.suggestions || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].dataset.url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function setupVote(form) {
    var status = form.parentNode.querySelector(".kb-vote-status");
    form.addEventListener("submit", function (e) {
      var button = e.submitter;
      if (!button || !window.fetch) { return; }  // the plain form post still works
      e.preventDefault();
      var body = new FormData(form);
      body.set("helpful", button.value);
      fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          form.hidden = true;
          status.textContent = form.getAttribute("data-thanks");
        })
        .catch(function () {
          var field = document.createElement("input");
          field.type = "hidden"; field.name = "helpful"; field.value = button.value;
          form.appendChild(field);
          form.submit();
        });
    });
  }

  function setupChat() {
    if (!window.KefuChat || typeof window.KefuChat.open !== "function") { return; }
    document.querySelectorAll(".kb-chat-open").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.KefuChat.open({ category: button.dataset.category }); });
    });
  }

  document.querySelectorAll(".kb-search-form").forEach(setupSuggestions);
  document.querySelectorAll(".kb-vote-form").forEach(setupVote);
  setupChat();
})();
