// Agent workspace: live inbox updates (server-sent events), presence and keyboard shortcuts.
(() => {
  "use strict";
  const csrf = (document.cookie.match(/(?:^|; )kefu_csrf=([^;]+)/) || [])[1] || "";

  const banner = document.getElementById("live-banner");
  if (banner && window.EventSource) {
    const source = new EventSource("/agent/events");
    source.onmessage = () => { banner.hidden = false; };
  }

  const selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.addEventListener("change", () => {
      document.querySelectorAll("input[name=numbers]").forEach((box) => { box.checked = selectAll.checked; });
    });
  }

  // j / k move between rows, Enter or o opens, / focuses search.
  const rows = Array.from(document.querySelectorAll("tr[data-href]"));
  let current = -1;
  document.addEventListener("keydown", (event) => {
    if (["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) return;
    if (event.key === "/") { const q = document.querySelector("input[name=q]"); if (q) { event.preventDefault(); q.focus(); } }
    if (!rows.length) return;
    if (event.key === "j" || event.key === "k") {
      current = Math.max(0, Math.min(rows.length - 1, current + (event.key === "j" ? 1 : -1)));
      rows[current].focus();
    }
    if ((event.key === "Enter" || event.key === "o") && document.activeElement.dataset.href) {
      window.location = document.activeElement.dataset.href;
    }
  });

  const ticket = document.getElementById("ticket");
  if (ticket) {
    const number = ticket.dataset.ticket;
    const composer = document.querySelector("#composer textarea");
    const viewers = document.getElementById("viewers");
    const ping = async () => {
      const response = await fetch(`/api/v1/agent/tickets/${number}/presence`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ composing: Boolean(composer && composer.value.trim()) }),
      });
      if (!response.ok || !viewers) return;
      const list = await response.json();
      viewers.textContent = list.map((v) => v.name + (v.composing ? " ✍" : "")).join(" · ");
    };
    ping();
    setInterval(ping, 15000);
  }
})();
