// The agent chat console: the queue, my chats, one conversation, live over /ws/agent-chat.
(function () {
  "use strict";
  const root = document.getElementById("chat-console");
  if (!root) return;
  const S = JSON.parse(root.dataset.strings);
  const $ = (id) => document.getElementById(id);
  let ws = null, current = null, backoff = 500, typingTimer = null;
  const seen = new Set();

  function send(frame) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame)); }
  function show(el, text) { el.textContent = text || ""; el.hidden = !text; }

  function row(item, inQueue) {
    const li = document.createElement("li");
    li.className = "prio-" + item.priority;
    const open = document.createElement("a");
    open.href = "#" + item.ticket;
    open.textContent = item.ticket + " · " + (item.subject || "") + (item.waited_minutes != null ? " · " + item.waited_minutes + "′" : "");
    open.addEventListener("click", (ev) => { ev.preventDefault(); send({ type: "open", ticket: item.ticket }); });
    li.appendChild(open);
    const meta = document.createElement("small");
    meta.textContent = " " + [item.team, item.category, item.language, item.reason].filter(Boolean).join(" / ");
    li.appendChild(meta);
    if (inQueue) {
      const b = document.createElement("button");
      b.type = "button"; b.className = "accept"; b.textContent = S.accept; b.dataset.ticket = item.ticket;
      b.addEventListener("click", () => send({ type: "accept", ticket: item.ticket }));
      li.appendChild(b);
    }
    return li;
  }

  function drawConsole(c) {
    $("cc-presence").value = c.presence;
    [["cc-queue", c.queue, true], ["cc-mine", c.mine, false]].forEach(([id, items, q]) => {
      const list = $(id);
      list.innerHTML = "";
      if (!items.length) { const li = document.createElement("li"); li.textContent = S.empty; list.appendChild(li); }
      items.forEach((item) => list.appendChild(row(item, q)));
    });
  }

  function drawMessage(m) {
    if (seen.has(m.seq)) return;
    seen.add(m.seq);
    const li = document.createElement("li");
    li.className = "msg " + m.author + (m.internal ? " internal" : "");
    const who = m.author === "customer" ? S.customer : m.author === "bot" ? S.bot : m.author === "system" ? S.system : (m.name || "");
    const head = document.createElement("small");
    head.textContent = who + " · " + new Date(m.at).toLocaleTimeString() + (m.internal ? " · " + S.note : "");
    const body = document.createElement("div");
    body.textContent = m.text;
    li.append(head, body);
    (m.attachments || []).forEach((a) => { const img = document.createElement("img"); img.src = a.url; img.alt = a.name; li.appendChild(img); });
    $("cc-messages").appendChild(li);
    $("cc-messages").scrollTop = $("cc-messages").scrollHeight;
    if (m.author === "customer") send({ type: "read", ticket: current.ticket, seq: m.seq });
  }

  function drawChat(c) {
    current = c;
    seen.clear();
    $("cc-messages").innerHTML = "";
    const h = $("cc-header");
    h.innerHTML = "";
    const title = document.createElement("h2");
    title.textContent = c.ticket + " · " + c.state;
    h.appendChild(title);
    const info = document.createElement("p");
    info.textContent = S.category + ": " + (c.category || "-") + " · " + S.reason + ": " + (c.reason || "-");
    h.appendChild(info);
    c.messages.forEach(drawMessage);
    $("cc-form").hidden = c.state !== "active";
    const side = $("cc-customer");
    side.innerHTML = "";
    const dl = document.createElement("dl");
    const facts = [["UID", c.customer.uid || S.anonymous], ["lang", c.customer.language], ["✔", c.customer.verification], ["name", c.customer.name || "-"]];
    facts.forEach(([k, v]) => { const dt = document.createElement("dt"); dt.textContent = k; const dd = document.createElement("dd"); dd.textContent = v; dl.append(dt, dd); });
    side.appendChild(dl);
    const recent = document.createElement("h3"); recent.textContent = S.recent; side.appendChild(recent);
    const ul = document.createElement("ul");
    c.customer.recent.forEach((r) => { const li = document.createElement("li"); const a = document.createElement("a"); a.href = "/agent/tickets/" + r.ticket; a.textContent = r.ticket + " " + r.subject + " (" + r.status + ")"; li.appendChild(a); ul.appendChild(li); });
    side.appendChild(ul);
  }

  function onEvent(e) {
    if (e.type === "console") return drawConsole(e);
    if (e.type === "chat") return drawChat(e);
    if (e.type === "error") return show($("cc-error"), e.message);
    if (!current || e.ticket !== current.ticket) { if (e.type === "message") send({ type: "refresh" }); return; }
    if (e.type === "message") drawMessage(e);
    else if (e.type === "typing") $("cc-typing").hidden = !e.on;
    else if (e.type === "read") $("cc-header").dataset.read = e.seq;
    else if (e.type === "state") { current.state = e.state; $("cc-form").hidden = e.state !== "active"; }
  }

  function connect() {
    ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws/agent-chat");
    ws.onopen = () => { backoff = 500; show($("cc-error"), ""); if (current) send({ type: "open", ticket: current.ticket }); };
    ws.onmessage = (m) => onEvent(JSON.parse(m.data));
    ws.onclose = () => { setTimeout(connect, backoff); backoff = Math.min(backoff * 2, 15000); };
  }
  setInterval(() => send({ type: "ping" }), 20000);

  $("cc-presence").addEventListener("change", (ev) => send({ type: "presence", presence: ev.target.value }));
  $("cc-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("cc-text").value.trim();
    if (!text || !current) return;
    send({ type: "reply", ticket: current.ticket, text: text, internal: $("cc-internal").checked });
    $("cc-text").value = "";
  });
  $("cc-text").addEventListener("input", () => {
    if (!current) return;
    if (!typingTimer) send({ type: "typing", ticket: current.ticket, on: true });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typingTimer = null; send({ type: "typing", ticket: current.ticket, on: false }); }, 3000);
  });
  $("cc-end").addEventListener("click", () => current && send({ type: "end", ticket: current.ticket }));
  connect();
})();
