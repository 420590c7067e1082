// Test-only verifier: reads one JSON object per line on stdin
// ({"secret": "whsec_...", "id": ..., "timestamp": ..., "signature": ..., "body": ...})
// and writes one line per input: "ok <id>" or "bad <id> <reason>". It uses the Standard Webhooks
// reference library, never Ledgerflow's signer, so a test that passes proves interoperability.
const readline = require("readline");
const { Webhook } = require("standardwebhooks");

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const m = JSON.parse(line);
  try {
    const wh = new Webhook(m.secret);
    wh.verify(m.body, {
      "webhook-id": m.id,
      "webhook-timestamp": m.timestamp,
      "webhook-signature": m.signature,
    });
    process.stdout.write("ok " + m.id + "\n");
  } catch (e) {
    process.stdout.write("bad " + m.id + " " + String(e.message).replace(/\s+/g, " ") + "\n");
  }
});
