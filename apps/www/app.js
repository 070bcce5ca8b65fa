// Live figures for the index page: polls /stats every two seconds.
'use strict';
function snmp(s, fam, name) {
  return s.snmp[fam] && s.snmp[fam][name] !== undefined ? s.snmp[fam][name] : 0;
}
function set(id, text) { document.getElementById(id).textContent = text; }
async function refresh() {
  try {
    const s = await (await fetch('/stats', { cache: 'no-store' })).json();
    set('uptime', (s.uptime_ns / 1e9).toFixed(1) + ' s');
    set('requests', snmp(s, 'Http', 'Requests'));
    set('conns', s.http.connections);
    set('segs', snmp(s, 'Tcp', 'InSegs') + ' / ' + snmp(s, 'Tcp', 'OutSegs'));
    set('mem', (s.memory.pages_free * 4 / 1024).toFixed(1) + ' of ' +
        (s.memory.pages_total * 4 / 1024).toFixed(1) + ' MiB');
    const t = document.getElementById('devs');
    while (t.rows.length > 1) t.deleteRow(1);
    for (const d of s.devices) {
      const r = t.insertRow();
      for (const v of [d.name, d.stats.rx_packets, d.stats.tx_packets, d.stats.rx_bytes, d.stats.tx_bytes])
        r.insertCell().textContent = v;
    }
  } catch (e) {
    set('uptime', 'unreachable');
  }
}
refresh();
setInterval(refresh, 2000);
