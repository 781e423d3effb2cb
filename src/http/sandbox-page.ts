import { DEMO_USERS } from '../demo/demo-township.js'

/** The users the page offers to switch to: the first user, then the demo's leader and cadres. */
const SWITCHABLE = [
  { id: 'admin', label: '管理员（第一位用户）' },
  ...[...DEMO_USERS].reverse().map((u) => ({
    id: u.id,
    label: `${u.title}${u.villages.length ? ' · ' + u.villages.join('、') : ''}`,
  })),
]

// Inside a <script>, "</script>" or "<!--" in the data would end or confuse it: escape `<`.
const USERS_JSON = JSON.stringify(SWITCHABLE).replace(/</g, '\\u003c')

/**
 * GET /sandbox: a one-file chat page for trying the bot without a WeCom or DingTalk
 * account. It talks to POST /sandbox/messages and GET /sandbox/outbox like any client;
 * all text is inserted with textContent: a reply's layout (title, lines, rows; docs/replies.md)
 * and the markdown of older pushes become elements, never HTML strings. Built for a phone first (docs/first-minute.md): the chat
 * fills the screen and scrolls to the newest reply, the 推送 panel is a tab away, and Enter
 * waits while an input method is composing. Opened as /sandbox?token=… (a public sandbox),
 * it keeps the token for the tab and sends it as a Bearer header.
 */
export const SANDBOX_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content">
<title>双拥助手 · 本地试用</title>
<style>
  * { box-sizing: border-box; }
  html, body { height: 100%; }
  body { font: 15px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f3f4f6; color: #111;
         display: flex; flex-direction: column; height: 100vh; height: 100dvh; overflow: hidden; }
  header { background: #b91c1c; color: #fff; padding: 8px 12px 0; flex: none; }
  .bar { display: flex; align-items: center; gap: 8px; }
  .bar h1 { font-size: 16px; margin: 0; flex: 1; white-space: nowrap; }
  .who { display: flex; gap: 8px; padding: 6px 0 8px; font-size: 13px; }
  .who label { display: flex; align-items: center; gap: 4px; flex: 1; min-width: 0; }
  .who input { flex: 1; min-width: 0; padding: 4px 6px; border-radius: 4px; border: 0; font: inherit; font-size: 14px; }
  #demo { background: #fff; color: #b91c1c; border: 0; border-radius: 14px; padding: 3px 10px; font: inherit; font-size: 13px; }
  #demo[hidden] { display: none; }
  .tabs { display: none; gap: 4px; }
  .tabs button { flex: 1; background: transparent; color: #fecaca; border: 0; border-bottom: 3px solid transparent; padding: 6px 0; font: inherit; }
  .tabs button[aria-selected="true"] { color: #fff; border-bottom-color: #fff; font-weight: 600; }
  .badge { display: inline-block; min-width: 18px; padding: 0 5px; border-radius: 9px; background: #fde047; color: #7f1d1d; font-size: 12px; line-height: 18px; margin-left: 4px; }
  .badge:empty { display: none; }
  main { flex: 1; min-height: 0; display: grid; grid-template-columns: 2fr 1fr; gap: 12px; padding: 12px; max-width: 1100px; width: 100%; margin: 0 auto; }
  .panel { background: #fff; border-radius: 8px; padding: 10px; display: flex; flex-direction: column; min-height: 0; }
  h2 { font-size: 14px; margin: 0 0 6px; color: #555; flex: none; }
  #log, #outbox { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain; }
  .msg { white-space: pre-wrap; overflow-wrap: anywhere; padding: 6px 10px; border-radius: 8px; margin: 6px 0; max-width: 88%; width: fit-content; }
  .msg.md { white-space: normal; }
  .msg.md p { margin: 0; }
  .msg.md p + p, .msg.md ul, .msg.md ol, .msg.md .table { margin-top: 4px; }
  .msg.md ul, .msg.md ol { margin-bottom: 0; padding-left: 1.4em; }
  .msg ul.rows { list-style: none; padding-left: 0; }
  .msg ul.rows li { border-top: 1px solid #e4e4e7; padding: 2px 0; }
  .msg ul.rows strong { margin-right: 0.25em; }
  .me { background: #dcfce7; margin-left: auto; }
  .bot { background: #f1f5f9; }
  .err { background: #fee2e2; }
  .note { background: #fff7ed; border: 1px dashed #fdba74; max-width: 100%; }
  .note button { background: #b91c1c; color: #fff; border: 0; border-radius: 6px; padding: 2px 10px; font: inherit; }
  .switch { text-align: center; color: #777; font-size: 12px; margin: 8px 0; }
  .meta { font-size: 12px; color: #777; white-space: normal; }
  .empty { color: #888; font-size: 13px; }
  form { display: flex; gap: 8px; margin-top: 8px; flex: none; }
  textarea { flex: 1; font: inherit; padding: 6px; min-height: 2.6em; max-height: 8em; resize: none; border: 1px solid #d4d4d8; border-radius: 6px; }
  form button { background: #b91c1c; color: #fff; border: 0; border-radius: 6px; padding: 0 16px; font: inherit; }
  @media (max-width: 760px) {
    main { grid-template-columns: 1fr; padding: 0; gap: 0; }
    .panel { border-radius: 0; display: none; }
    .panel.active { display: flex; }
    .tabs { display: flex; }
    .panel h2 { display: none; }
  }
</style>
</head>
<body>
<header>
  <div class="bar">
    <h1>双拥助手 · 本地试用</h1>
    <button id="demo" type="button">载入示范数据</button>
  </div>
  <div class="who">
    <label>用户 <input id="user" value="admin" list="users" autocomplete="off" enterkeyhint="done"></label>
    <label>群 <input id="chat" placeholder="私聊" autocomplete="off" enterkeyhint="done"></label>
  </div>
  <nav class="tabs" role="tablist">
    <button type="button" role="tab" id="tab-chat" aria-selected="true" aria-controls="chat-panel">对话</button>
    <button type="button" role="tab" id="tab-outbox" aria-selected="false" aria-controls="outbox-panel">推送<span id="badge" class="badge"></span></button>
  </nav>
</header>
<datalist id="users"></datalist>
<main>
  <section id="chat-panel" class="panel active" role="tabpanel" aria-labelledby="tab-chat">
    <h2>对话（账号 sandbox:用户名）</h2>
    <div id="log" role="log" aria-live="polite"></div>
    <form id="send">
      <textarea id="text" rows="1" maxlength="4000" enterkeyhint="send" placeholder="输入「帮助」试试"></textarea>
      <button>发送</button>
    </form>
  </section>
  <section id="outbox-panel" class="panel" role="tabpanel" aria-labelledby="tab-outbox">
    <h2>推送（提醒等，最新在上）</h2>
    <div id="outbox"><div class="empty">还没有推送。设个「提醒 5分钟后 交表」试试。</div></div>
  </section>
</main>
<script>
  const USERS = ${USERS_JSON}
  const $ = (id) => document.getElementById(id)
  const user = $('user'), chat = $('chat'), text = $('text'), log = $('log'), outbox = $('outbox')
  // The token arrives once in the address; keep it for this tab, then take it out of the
  // address bar and history so it is not shared along with a copied link.
  const params = new URLSearchParams(location.search)
  if (params.get('token')) {
    sessionStorage.setItem('sandbox-token', params.get('token'))
    params.delete('token')
    history.replaceState(null, '', location.pathname + (params.toString() ? '?' + params : ''))
  }
  const token = sessionStorage.getItem('sandbox-token')
  const auth = token ? { authorization: 'Bearer ' + token } : {}

  for (const u of USERS) {
    const option = document.createElement('option')
    option.value = u.id
    option.label = u.label
    $('users').appendChild(option)
  }
  user.value = localStorage.getItem('sandbox-user') || user.value
  let current = user.value.trim()
  user.addEventListener('change', () => {
    const next = user.value.trim()
    if (!next || next === current) return
    current = next
    localStorage.setItem('sandbox-user', next)
    const line = document.createElement('div')
    line.className = 'switch'
    line.textContent = '— 已切换为 sandbox:' + next + ' —'
    show(line)
  })

  // A reply's layout: the title in bold, the lines as paragraphs, each row a line of its own
  // with the name in bold (the plain text shows them as aligned lines, docs/replies.md).
  function layoutView(layout) {
    const root = document.createDocumentFragment()
    const title = document.createElement('p')
    const strong = document.createElement('strong'); strong.textContent = layout.title
    title.appendChild(strong); root.appendChild(title)
    for (const block of layout.blocks) {
      if (block.rows) {
        const caption = document.createElement('p'); caption.textContent = block.caption; root.appendChild(caption)
        const list = document.createElement('ul'); list.className = 'rows'
        for (const row of block.rows) {
          const li = document.createElement('li')
          const name = document.createElement('strong'); name.textContent = row.name
          li.append(name, ' ' + row.cells.join(' ')); list.appendChild(li)
        }
        root.appendChild(list)
      } else {
        const p = document.createElement('p')
        block.lines.forEach((line, i) => { if (i) p.appendChild(document.createElement('br')); p.append(line) })
        root.appendChild(p)
      }
    }
    return root
  }

  // Markdown of pushes stored before replies had layouts: paragraphs, hard breaks, **bold**
  // and lists, built as elements so no text is ever parsed as HTML.
  function inline(parent, line) {
    const parts = line.replace(/ {2,}$/, '').split(/\\*\\*(.+?)\\*\\*/)
    parts.forEach((part, i) => {
      if (!part) return
      if (i % 2) { const b = document.createElement('strong'); b.textContent = part; parent.appendChild(b) }
      else parent.appendChild(document.createTextNode(part))
    })
  }
  function markdown(body) {
    const root = document.createDocumentFragment()
    let block = null, kind = ''
    for (const line of body.split('\\n')) {
      const item = /^\\s*(?:[-*+]|(\\d+)[.)])\\s+(.*)$/.exec(line)
      if (!line.trim()) { block = null; kind = ''; continue }
      if (item) {
        const wanted = item[1] ? 'ol' : 'ul'
        if (kind !== wanted) { block = document.createElement(wanted); root.appendChild(block); kind = wanted
          if (item[1] && item[1] !== '1') block.start = Number(item[1]) }
        const li = document.createElement('li'); inline(li, item[2]); block.appendChild(li)
      } else {
        if (kind !== 'p') { block = document.createElement('p'); root.appendChild(block); kind = 'p' }
        else block.appendChild(document.createElement('br'))
        inline(block, line)
      }
    }
    return root
  }
  function bubble(cls, reply, meta) {
    const div = document.createElement('div')
    div.className = 'msg ' + cls + (reply.layout || reply.markdown ? ' md' : '')
    if (meta) { const m = document.createElement('div'); m.className = 'meta'; m.textContent = meta; div.appendChild(m) }
    if (reply.layout) div.appendChild(layoutView(reply.layout))
    else if (reply.markdown) div.appendChild(markdown(reply.text))
    else div.appendChild(document.createTextNode(reply.text))
    return div
  }
  // The newest message goes to the bottom and into view, on a phone too.
  function show(el) {
    log.appendChild(el)
    log.scrollTop = log.scrollHeight
    el.scrollIntoView({ block: 'end' })
  }

  async function send(body) {
    if (!body) return
    const who = user.value.trim()
    show(bubble('me', { text: body }, 'sandbox:' + who))
    try {
      const res = await fetch('/sandbox/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ user: who, chat: chat.value.trim() || undefined, text: body }),
      })
      // A 400 is the message itself (over 4,000 characters, as the box also stops): said in
      // Chinese with what to do, not as the route's JSON (a tester).
      if (res.status === 400) { show(bubble('err', { text: '这条消息没有发出：太长（最多 4000 字）或格式不对。请缩短或分几条发送。' })); return }
      if (!res.ok) { show(bubble('err', { text: '出错：HTTP ' + res.status + ' ' + (await res.text()) })); return }
      const data = await res.json()
      for (const r of data.replies) {
        show(bubble('bot', r))
        if (/^(已载入示范镇|示范数据已经载入过)/.test(r.text)) $('demo').hidden = true
      }
      if (data.replies.length === 0) show(bubble('bot', { text: '（没有回复）' }))
    } catch (err) { show(bubble('err', { text: '连接失败：' + err })) }
    refreshOutbox()
  }
  $('send').addEventListener('submit', (e) => {
    e.preventDefault()
    const body = text.value.trim()
    text.value = ''
    send(body)
  })
  // Enter sends, Shift+Enter is a new line; while an input method is composing (拼音 and the
  // like), Enter picks the candidate and must not send half-typed text.
  text.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return
    e.preventDefault()
    $('send').requestSubmit()
  })
  $('demo').addEventListener('click', () => send('载入示范数据'))

  const welcome = document.createElement('div')
  welcome.className = 'msg note'
  welcome.append(
    '第一次用？发「帮助」看命令。没有配置时，第一个发消息的用户成为管理员；',
    '点上方「载入示范数据」载入一个示范镇，再在「用户」里切换为 王书记（镇领导）或 刘干事（村干部）试试。',
  )
  show(welcome)

  // The push panel: a tab on a phone, a column beside the chat on a wide screen.
  let seenAt = sessionStorage.getItem('sandbox-seen') || ''
  let latestAt = ''
  function select(tab) {
    for (const id of ['chat', 'outbox']) {
      $('tab-' + id).setAttribute('aria-selected', String(id === tab))
      $(id + '-panel').classList.toggle('active', id === tab)
    }
    if (tab === 'outbox') { markSeen(); refreshOutbox() }
    else log.scrollTop = log.scrollHeight
  }
  function markSeen() {
    seenAt = latestAt
    sessionStorage.setItem('sandbox-seen', seenAt)
    $('badge').textContent = ''
  }
  $('tab-chat').addEventListener('click', () => select('chat'))
  $('tab-outbox').addEventListener('click', () => select('outbox'))
  const outboxVisible = () => getComputedStyle($('outbox-panel')).display !== 'none'

  async function refreshOutbox() {
    try {
      const res = await fetch('/sandbox/outbox?limit=50', { headers: auth })
      if (!res.ok) return
      const { messages } = await res.json()
      // What was there when the page opened is not news; whatever comes later is.
      if (!seenAt) seenAt = messages.length ? messages[0].at : '0'
      if (messages.length === 0) return
      outbox.textContent = ''
      for (const m of messages) {
        const at = new Date(m.at).toLocaleString('zh-CN', { hour12: false })
        outbox.appendChild(bubble('bot', m, (m.isGroup ? '群 ' : '发给 ') + m.chatId + ' · ' + at))
      }
      latestAt = messages[0].at
      if (outboxVisible()) markSeen()
      else $('badge').textContent = String(messages.filter((m) => m.at > seenAt).length || '')
    } catch {}
  }
  refreshOutbox()
  setInterval(() => { if (!document.hidden) refreshOutbox() }, 3000)
</script>
</body>
</html>
`
