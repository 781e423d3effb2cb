/**
 * GET /sandbox: a one-file chat page for trying the bot without a WeCom or DingTalk
 * account. It talks to POST /sandbox/messages and GET /sandbox/outbox like any client;
 * all text is inserted with textContent, never as HTML. Opened as /sandbox?token=… (a
 * public sandbox), it keeps the token for the tab and sends it as a Bearer header.
 */
export const SANDBOX_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>双拥助手 · 本地试用</title>
<style>
  body { font: 15px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f3f4f6; color: #111; }
  header { background: #b91c1c; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 17px; margin: 0; flex: 1; }
  header label { font-size: 13px; }
  header input { width: 9em; padding: 3px 6px; border-radius: 4px; border: 0; }
  main { display: grid; grid-template-columns: 2fr 1fr; gap: 12px; padding: 12px; max-width: 1100px; margin: 0 auto; }
  @media (max-width: 760px) { main { grid-template-columns: 1fr; } }
  section { background: #fff; border-radius: 8px; padding: 12px; display: flex; flex-direction: column; min-height: 60vh; }
  h2 { font-size: 14px; margin: 0 0 8px; color: #555; }
  #log, #outbox { flex: 1; overflow-y: auto; }
  .msg { white-space: pre-wrap; padding: 6px 10px; border-radius: 8px; margin: 6px 0; max-width: 85%; }
  .me { background: #dcfce7; margin-left: auto; }
  .bot { background: #f1f5f9; }
  .err { background: #fee2e2; }
  .meta { font-size: 12px; color: #777; }
  form { display: flex; gap: 8px; margin-top: 8px; }
  textarea { flex: 1; font: inherit; padding: 6px; min-height: 2.6em; }
  button { background: #b91c1c; color: #fff; border: 0; border-radius: 6px; padding: 0 16px; font: inherit; }
</style>
</head>
<body>
<header>
  <h1>双拥助手 · 本地试用</h1>
  <label>用户 <input id="user" value="admin" autocomplete="off"></label>
  <label>群（可空） <input id="chat" placeholder="私聊" autocomplete="off"></label>
</header>
<main>
  <section>
    <h2>对话（账号为 sandbox:用户名；角色由 ADMIN_USERS 或管理员「设置角色」给出）</h2>
    <div id="log"></div>
    <form id="send">
      <textarea id="text" placeholder="输入「帮助」试试，Enter 发送，Shift+Enter 换行"></textarea>
      <button>发送</button>
    </form>
  </section>
  <section>
    <h2>推送（提醒等）</h2>
    <div id="outbox"></div>
  </section>
</main>
<script>
  const $ = (id) => document.getElementById(id)
  const user = $('user'), chat = $('chat'), text = $('text'), log = $('log')
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
  user.value = localStorage.getItem('sandbox-user') || user.value
  user.addEventListener('change', () => localStorage.setItem('sandbox-user', user.value.trim()))
  function add(parent, cls, body, meta) {
    const div = document.createElement('div')
    div.className = 'msg ' + cls
    div.textContent = body
    if (meta) { const m = document.createElement('div'); m.className = 'meta'; m.textContent = meta; div.prepend(m) }
    parent.appendChild(div)
    parent.scrollTop = parent.scrollHeight
  }
  async function send(e) {
    e && e.preventDefault()
    const body = text.value.trim()
    if (!body) return
    text.value = ''
    add(log, 'me', body, 'sandbox:' + user.value.trim())
    try {
      const res = await fetch('/sandbox/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ user: user.value.trim(), chat: chat.value.trim() || undefined, text: body }),
      })
      if (!res.ok) { add(log, 'err', '出错：HTTP ' + res.status + ' ' + (await res.text())); return }
      const data = await res.json()
      for (const r of data.replies) add(log, 'bot', r.text)
      if (data.replies.length === 0) add(log, 'bot', '（没有回复）')
    } catch (err) { add(log, 'err', '连接失败：' + err) }
  }
  $('send').addEventListener('submit', send)
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) send(e) })
  async function refreshOutbox() {
    try {
      const res = await fetch('/sandbox/outbox?limit=50', { headers: auth })
      if (!res.ok) return
      const data = await res.json()
      const box = $('outbox')
      box.textContent = ''
      for (const m of data.messages) add(box, 'bot', m.text, (m.isGroup ? '群 ' : '') + m.chatId + ' · ' + new Date(m.at).toLocaleString('zh-CN'))
    } catch {}
  }
  refreshOutbox()
  setInterval(refreshOutbox, 5000)
</script>
</body>
</html>
`
