// Agent workspace: live inbox updates (server-sent events), presence and keyboard shortcuts.
(() => {
  "use strict";
  const csrf = (document.cookie.match(/(?:^|; )kefu_csrf=([^;]+)/) || [])[1] || "";

  // Presence: agents seen in the last minutes count as online for assignment.
  const presence = localStorage.getItem("kefu-presence") || "online";
  const beat = () => fetch("/api/v1/agent/presence", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ presence: localStorage.getItem("kefu-presence") || "online" }),
  });
  beat();
  setInterval(beat, 60000);
  document.querySelectorAll("[data-presence]").forEach((button) => {
    button.textContent = presence === "away" ? "⏸ away" : "● online";
    button.addEventListener("click", () => {
      const next = (localStorage.getItem("kefu-presence") || "online") === "away" ? "online" : "away";
      localStorage.setItem("kefu-presence", next);
      button.textContent = next === "away" ? "⏸ away" : "● online";
      beat();
    });
  });

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

  // The shortcuts overlay: "?" or the ⌨ button opens it, Escape or its button closes it.
  const overlay = document.getElementById("shortcuts");
  const toggleOverlay = (show) => { if (overlay) overlay.hidden = !show; };
  document.querySelectorAll("[data-shortcuts]").forEach((b) => b.addEventListener("click", () => toggleOverlay(true)));
  if (overlay) overlay.querySelector("[data-close]").addEventListener("click", () => toggleOverlay(false));

  const ticketBox = document.getElementById("ticket");
  const patchTicket = async (body) => {
    const response = await fetch(`/api/v1/agent/tickets/${ticketBox.dataset.ticket}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
    if (response.ok) window.location.reload();
    else alert((await response.json()).message);
  };
  const write = (kind) => {
    const radio = document.querySelector(`#composer input[name=kind][value=${kind}]`);
    if (radio) radio.checked = true;
    const box = document.querySelector("#composer textarea");
    if (box) box.focus();
  };

  // j / k move between rows, Enter or o opens, / search; on a ticket r reply, n note,
  // a assign to me, s solve; ? shows them all.
  const rows = Array.from(document.querySelectorAll("tr[data-href]"));
  rows.forEach((row) => row.addEventListener("click", (event) => {
    if (event.target.closest("input, a, button, label")) return;
    window.location = row.dataset.href;
  }));
  let current = -1;
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { toggleOverlay(false); return; }
    if (["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) return;
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key === "?") { toggleOverlay(true); return; }
    if (event.key === "/") { const q = document.querySelector("input[name=q]"); if (q) { event.preventDefault(); q.focus(); } }
    if (ticketBox) {
      if (event.key === "r") { event.preventDefault(); write("reply"); return; }
      if (event.key === "n") { event.preventDefault(); write("note"); return; }
      if (event.key === "a" && ticketBox.dataset.me) { patchTicket({ assignee_id: Number(ticketBox.dataset.me) }); return; }
      if (event.key === "s") { patchTicket({ status: "solved" }); return; }
    }
    if (!rows.length) return;
    if (event.key === "j" || event.key === "k") {
      current = Math.max(0, Math.min(rows.length - 1, current + (event.key === "j" ? 1 : -1)));
      rows[current].focus();
    }
    if ((event.key === "Enter" || event.key === "o") && document.activeElement.dataset.href) {
      window.location = document.activeElement.dataset.href;
    }
  });

  if (ticketBox) {
    const number = ticketBox.dataset.ticket;
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
