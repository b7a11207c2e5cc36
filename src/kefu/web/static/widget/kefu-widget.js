// kefu chat widget. Embed with one tag:
//   <script src="https://support.example/static/widget/kefu-widget.js"
//           data-kefu-token="IDENTITY_TOKEN" data-lang="zh-Hans" defer></script>
// Everything lives in a shadow root: the host page's styles are not touched, nor ours by it.
// Protocol: docs/chat-protocol.md. Plain JavaScript, no build step.
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || window.__kefuWidget) return;
  window.__kefuWidget = true;
  const base = new URL(script.src, location.href).origin;
  const token = script.dataset.kefuToken || null;
  const pageLang = script.dataset.lang || document.documentElement.lang || navigator.language || "zh-Hans";
  const lang = pageLang.toLowerCase().startsWith("zh") ? "zh-Hans" : "en";
  const storeKey = "kefu-chat:" + base;
  const FALLBACK = { "zh-Hans": { open: "在线客服", offline: "网络已断开，正在重新连接…" }, en: { open: "Chat with us", offline: "You are offline; reconnecting…" } };

  let strings = FALLBACK[lang];
  let ws = null, session = null, lastSeq = 0, backoff = 500, heartbeat = null, opened = false;
  let pending = [];            // {client_id, text, category, uploads} not yet acknowledged
  let seen = new Set();        // seqs already drawn
  let agentReadSeq = 0, topic = null, typingTimer = null, maxChars = 2000;
  try {
    const saved = JSON.parse(localStorage.getItem(storeKey) || "{}");
    session = saved.session || null;
    pending = saved.pending || [];
  } catch (e) { /* private mode: the chat still works, it just does not resume */ }

  const host = document.createElement("div");
  host.id = "kefu-widget";
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    '<link rel="stylesheet" href="' + base + '/static/widget/kefu-widget.css">' +
    '<button class="launcher" part="launcher" aria-haspopup="dialog"></button>' +
    '<section class="panel" role="dialog" hidden>' +
    '  <header><span class="title"></span><button class="freeze" type="button" hidden></button><button class="transcript" type="button"></button><button class="close" type="button" aria-label="close">×</button></header>' +
    '  <p class="banner notice" hidden></p><p class="banner offline" hidden></p><p class="banner queue" hidden></p>' +
    '  <ol class="log" aria-live="polite"></ol>' +
    '  <div class="topics" hidden></div>' +
    '  <p class="typing" hidden></p>' +
    '  <p class="error" role="alert" hidden></p>' +
    '  <form class="composer"><label class="image" title=""><input type="file" accept="image/*" hidden>📎</label>' +
    '  <textarea rows="2"></textarea><button type="submit"></button></form>' +
    '</section>';
  const $ = (sel) => root.querySelector(sel);
  const launcher = $(".launcher"), panel = $(".panel"), log = $(".log"), text = $("textarea");

  function store() {
    try { localStorage.setItem(storeKey, JSON.stringify({ session: session, pending: pending })); } catch (e) { /* ignore */ }
  }
  function show(el, message) { el.textContent = message || ""; el.hidden = !message; }
  function clientId() { return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).slice(0, 64); }
  function time(iso) { const d = iso ? new Date(iso) : new Date(); return d.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }); }

  function applyStrings() {
    launcher.textContent = "💬 " + strings.open;
    $(".title").textContent = strings.title || strings.open;
    $(".close").title = strings.close || "";
    $(".freeze").textContent = "🔒";
    $(".freeze").title = strings.freeze || "";
    $(".freeze").setAttribute("aria-label", strings.freeze || "freeze");
    $(".transcript").textContent = "✉";
    $(".transcript").title = strings.transcript || "";
    text.placeholder = strings.placeholder || "";
    $(".composer button").textContent = strings.send || "→";
    $(".image").title = strings.image || "";
  }
  applyStrings();
  fetch(base + "/api/v1/chat/config?lang=" + encodeURIComponent(lang))
    .then((r) => r.json()).then((c) => { strings = Object.assign({}, FALLBACK[lang], c.strings); applyStrings(); })
    .catch(() => {});

  function draw(m) {
    if (m.seq && seen.has(m.seq)) return;
    if (m.seq) { seen.add(m.seq); lastSeq = Math.max(lastSeq, m.seq); }
    const li = document.createElement("li");
    li.className = "msg " + (m.author || "system") + (m.pending ? " pending" : "");
    if (m.client_id) li.dataset.clientId = m.client_id;
    if (m.seq) li.dataset.seq = m.seq;
    const body = document.createElement("div");
    body.className = "body";
    body.textContent = m.text || "";
    li.appendChild(body);
    (m.attachments || []).forEach((a) => {
      const img = document.createElement("img");
      img.src = base + a.url; img.alt = a.name; img.loading = "lazy";
      li.appendChild(img);
    });
    (m.articles || []).forEach((a) => {
      const link = document.createElement("a");
      link.href = a.url; link.target = "_blank"; link.rel = "noopener"; link.textContent = "📄 " + a.title;
      li.appendChild(link);
    });
    if ((m.quick_replies || []).length) {
      const row = document.createElement("div");
      row.className = "quick";
      m.quick_replies.forEach((q) => {
        const b = document.createElement("button");
        b.type = "button"; b.textContent = q;
        b.addEventListener("click", () => { row.remove(); send(q); });
        row.appendChild(b);
      });
      li.appendChild(row);
    }
    if (m.survey) li.appendChild(surveyBox(m.survey));
    const meta = document.createElement("time");
    meta.textContent = time(m.at);
    li.appendChild(meta);
    if (m.author === "customer") {
      const state = document.createElement("span");
      state.className = "state";
      li.appendChild(state);
    }
    // An acknowledged message replaces its pending copy.
    if (m.client_id_ack) {
      const old = log.querySelector('[data-client-id="' + CSS.escape(m.client_id_ack) + '"]');
      if (old) old.remove();
    }
    log.appendChild(li);
    markRead();
    log.scrollTop = log.scrollHeight;
  }

  // The satisfaction survey: 1–5 buttons, an optional comment, one `rate` frame.
  function surveyBox(s) {
    const box = document.createElement("div");
    box.className = "survey";
    box.dataset.survey = s.token;
    if (s.answered) { box.textContent = "★".repeat(s.answered); return box; }
    const hint = document.createElement("p");
    hint.textContent = s.hint;
    const row = document.createElement("div");
    row.className = "quick";
    const comment = document.createElement("textarea");
    comment.rows = 2; comment.maxLength = 2000; comment.placeholder = s.comment_label;
    const submit = document.createElement("button");
    submit.type = "button"; submit.className = "rate"; submit.textContent = s.submit_label; submit.disabled = true;
    let score = 0;
    s.scale.forEach((n) => {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = String(n); b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", () => {
        score = n; submit.disabled = false;
        row.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
      });
      row.appendChild(b);
    });
    submit.addEventListener("click", () => {
      if (score) ws.send(JSON.stringify({ type: "rate", survey: s.token, score: score, comment: comment.value }));
    });
    box.append(hint, row, comment, submit);
    return box;
  }

  function markRead() {
    log.querySelectorAll("li.customer").forEach((li) => {
      const s = li.querySelector(".state");
      if (s) s.textContent = li.dataset.seq ? (Number(li.dataset.seq) <= agentReadSeq ? "✓✓ " + (strings.read || "") : "✓") : "…";
    });
  }

  function onEvent(e) {
    switch (e.type) {
      case "welcome":
        session = e.session; store();
        $(".freeze").hidden = e.trust !== "verified"; // only a verified customer can freeze
        maxChars = e.max_text_chars || maxChars;
        agentReadSeq = e.agent_read_seq || 0;
        show($(".notice"), e.notice);
        if (!log.children.length && !e.ticket) {
          draw({ author: "bot", text: e.greeting });
          showTopics(e.categories);
        }
        pending.forEach((p) => ws.send(JSON.stringify(Object.assign({ type: "message" }, p))));
        break;
      case "message": {
        const mine = log.querySelector('li.pending');
        if (e.author === "customer" && mine) {
          // our own message echoed: drop the pending copy with the same text
          const copy = Array.from(log.querySelectorAll("li.pending")).find((li) => li.querySelector(".body").textContent === e.text);
          if (copy) copy.remove();
        }
        draw(e);
        if (e.author !== "customer" && panel.hidden === false) ws.send(JSON.stringify({ type: "read", seq: e.seq }));
        break;
      }
      case "ack":
        pending = pending.filter((p) => p.client_id !== e.client_id); store();
        { const li = log.querySelector('[data-client-id="' + CSS.escape(e.client_id) + '"]');
          if (li) {
            li.classList.remove("pending"); li.dataset.seq = e.seq;
            if (e.text) li.querySelector(".body").textContent = e.text;  // as stored: secrets hidden
            if (seen.has(e.seq)) li.remove(); else seen.add(e.seq);
          } }
        markRead();
        break;
      case "typing": show($(".typing"), e.on ? strings.typing : ""); break;
      case "read": agentReadSeq = Math.max(agentReadSeq, e.seq); markRead(); break;
      case "queue": show($(".queue"), e.text); break;
      case "state": if (e.state !== "queued") show($(".queue"), ""); break;
      case "notice": show($(".error"), e.text); break;
      case "frozen": show($(".error"), e.text); break;
      case "rated": {
        const box = log.querySelector('.survey[data-survey="' + CSS.escape(e.survey) + '"]');
        if (box) box.textContent = "★".repeat(e.score) + " " + e.text;
        break;
      }
      case "error":
        if (e.client_id && e.code !== "unavailable") {
          pending = pending.filter((p) => p.client_id !== e.client_id); store();
          const li = log.querySelector('[data-client-id="' + CSS.escape(e.client_id) + '"]');
          if (li) li.classList.add("failed");
        }
        show($(".error"), e.message);
        break;
    }
  }

  function showTopics(categories) {
    const box = $(".topics");
    box.innerHTML = "";
    const label = document.createElement("p");
    label.textContent = strings.pick_topic || "";
    box.appendChild(label);
    (categories || []).forEach((c) => {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = c.name; b.dataset.slug = c.slug;
      b.addEventListener("click", () => { topic = c.slug; box.hidden = true; text.focus(); });
      box.appendChild(b);
    });
    box.hidden = false;
  }

  function connect() {
    const url = base.replace(/^http/, "ws") + "/ws/chat";
    ws = new WebSocket(url);
    ws.onopen = () => {
      backoff = 500;
      show($(".offline"), "");
      ws.send(JSON.stringify({ type: "hello", token: token, session: session, lang: lang, last_seq: lastSeq }));
      clearInterval(heartbeat);
      heartbeat = setInterval(() => { if (ws.readyState === 1) ws.send('{"type":"ping"}'); }, 20000);
    };
    ws.onmessage = (m) => { try { onEvent(JSON.parse(m.data)); } catch (err) { /* ignore a bad frame */ } };
    ws.onclose = () => {
      clearInterval(heartbeat);
      show($(".offline"), strings.offline);
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 15000);
    };
  }

  function send(body, uploads) {
    body = (body || "").trim();
    if (!body && !(uploads || []).length) return;
    if (body.length > maxChars) { show($(".error"), (strings.too_large || "") + " (" + maxChars + ")"); return; }
    show($(".error"), "");
    $(".topics").hidden = true;
    const frame = { client_id: clientId(), text: body, category: topic, uploads: uploads || [] };
    pending.push(frame); store();
    draw({ author: "customer", text: body, client_id: frame.client_id, pending: true });
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(Object.assign({ type: "message" }, frame)));
  }

  function upload(file) {
    if (!file || !session) return;
    const form = new FormData();
    form.append("session", session);
    form.append("file", file, file.name || "screenshot.png");
    fetch(base + "/api/v1/chat/uploads?lang=" + lang, { method: "POST", body: form })
      .then((r) => r.json().then((j) => ({ ok: r.ok, j: j })))
      .then((r) => { if (r.ok) send("", [r.j.upload_id]); else show($(".error"), r.j.message); })
      .catch(() => show($(".error"), strings.offline));
  }

  launcher.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    if (!opened) { opened = true; connect(); }
    if (!panel.hidden) text.focus();
  });
  $(".close").addEventListener("click", () => { panel.hidden = true; });
  $(".composer").addEventListener("submit", (ev) => { ev.preventDefault(); send(text.value); text.value = ""; });
  text.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $(".composer").requestSubmit(); } });
  text.addEventListener("input", () => {
    if (!ws || ws.readyState !== 1) return;
    if (!typingTimer) ws.send('{"type":"typing","on":true}');
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typingTimer = null; if (ws.readyState === 1) ws.send('{"type":"typing","on":false}'); }, 3000);
  });
  text.addEventListener("paste", (ev) => {
    const item = Array.from(ev.clipboardData ? ev.clipboardData.items : []).find((i) => i.type.startsWith("image/"));
    if (item) { ev.preventDefault(); upload(item.getAsFile()); }
  });
  $(".image input").addEventListener("change", (ev) => { upload(ev.target.files[0]); ev.target.value = ""; });
  $(".freeze").addEventListener("click", () => {
    if (!window.confirm(strings.freeze_confirm || "Freeze?")) return;
    const clientId = "freeze-" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({ type: "freeze", client_id: clientId }));
  });
  $(".transcript").addEventListener("click", () => {
    let email = null;
    if (!token) { email = prompt(strings.transcript_email || "Email"); if (!email) return; }
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({ type: "transcript", email: email }));
  });
  window.addEventListener("offline", () => show($(".offline"), strings.offline));

  // A returning visitor with a conversation in progress reconnects at once.
  if (session) { opened = true; connect(); }
  (document.body || document.documentElement).appendChild(host);
})();
