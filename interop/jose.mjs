// node jose as the reference implementation for JWK Desk's interop tests.
// One request per run: a JSON object on stdin, a JSON object on stdout.
// {"op": "...", ...}  →  {"ok": true, ...} or {"ok": false, "error": "...", "code": "..."}
// The Go side is interop/josetest.go; the ops are listed in `ops` below.
import * as jose from 'jose'

const te = new TextEncoder()
const td = new TextDecoder()

// A key argument is a JWK object, or {"secret": base64url} for a raw
// symmetric key, or {"passphrase": text} for PBES2.
async function keyOf(k, alg) {
  if (k === undefined || k === null) throw new Error('no key given')
  if (typeof k.passphrase === 'string') return te.encode(k.passphrase)
  if (typeof k.secret === 'string') return jose.base64url.decode(k.secret)
  return jose.importJWK(k, alg, { extractable: true })
}

function payloadOf(req) {
  if (req.claims !== undefined) return te.encode(JSON.stringify(req.claims))
  return te.encode(req.plaintext ?? '')
}

const ops = {
  // Generate a key pair (or secret) for alg; returns private and public JWKs.
  async generate(req) {
    const opts = { extractable: true }
    if (req.crv) opts.crv = req.crv
    if (req.modulusLength) opts.modulusLength = req.modulusLength
    if (/^(HS|A\d+KW|A\d+GCMKW|dir|A\d+GCM|A\d+CBC)/.test(req.alg)) {
      const secret = await jose.generateSecret(req.alg, opts)
      return { jwk: await jose.exportJWK(secret) }
    }
    const { publicKey, privateKey } = await jose.generateKeyPair(req.alg, opts)
    return { jwk: await jose.exportJWK(privateKey), public: await jose.exportJWK(publicKey) }
  },

  // Compact JWS.
  async sign(req) {
    const header = { alg: req.alg, ...(req.header ?? {}) }
    const token = await new jose.CompactSign(payloadOf(req)).setProtectedHeader(header).sign(await keyOf(req.key, req.alg))
    return { token }
  },
  async verify(req) {
    const key = req.jwks ? jose.createLocalJWKSet(req.jwks) : await keyOf(req.key, req.alg)
    const { payload, protectedHeader } = await jose.compactVerify(req.token, key, req.algorithms ? { algorithms: req.algorithms } : undefined)
    return { header: protectedHeader, plaintext: td.decode(payload) }
  },

  // Compact JWE. PBES2: key {"passphrase": ...}, optional p2c.
  async encrypt(req) {
    const header = { alg: req.alg, enc: req.enc, ...(req.header ?? {}) }
    const enc = new jose.CompactEncrypt(payloadOf(req)).setProtectedHeader(header)
    if (req.p2c) enc.setKeyManagementParameters({ p2c: req.p2c })
    return { token: await enc.encrypt(await keyOf(req.key, req.alg)) }
  },
  async decrypt(req) {
    const opts = {}
    if (req.maxPBES2Count) opts.maxPBES2Count = req.maxPBES2Count
    if (req.keyManagementAlgorithms) opts.keyManagementAlgorithms = req.keyManagementAlgorithms
    const key = req.jwks ? await keyFromSet(req.jwks, req.token) : await keyOf(req.key, req.alg)
    const { plaintext, protectedHeader } = await jose.compactDecrypt(req.token, key, opts)
    return { header: protectedHeader, plaintext: td.decode(plaintext) }
  },

  // Flattened JSON JWE (the form `step crypto jwk create` writes for an
  // encrypted private key).
  async encryptFlattened(req) {
    const header = { alg: req.alg, enc: req.enc, ...(req.header ?? {}) }
    const enc = new jose.FlattenedEncrypt(payloadOf(req)).setProtectedHeader(header)
    if (req.p2c) enc.setKeyManagementParameters({ p2c: req.p2c })
    return { jwe: await enc.encrypt(await keyOf(req.key, req.alg)) }
  },
  async decryptFlattened(req) {
    const opts = {}
    if (req.maxPBES2Count) opts.maxPBES2Count = req.maxPBES2Count
    const { plaintext, protectedHeader } = await jose.flattenedDecrypt(req.jwe, await keyOf(req.key, req.alg), opts)
    return { header: protectedHeader, plaintext: td.decode(plaintext) }
  },

  // A JSON JWE with each header location set by the request: "protected",
  // "unprotected" (shared) and "header" (the recipient's), each optional;
  // "general": true writes the general form with one recipient per entry
  // of "passphrases" (or the one "key"). PBES2's p2s and p2c land where
  // jose puts them: the protected header when there is one.
  async encryptJSON(req) {
    const keys = req.passphrases ? req.passphrases.map((p) => ({ passphrase: p })) : [req.key]
    if (req.general) {
      const enc = new jose.GeneralEncrypt(payloadOf(req))
      if (req.protected) enc.setProtectedHeader(req.protected)
      if (req.unprotected) enc.setSharedUnprotectedHeader(req.unprotected)
      for (const k of keys) {
        const r = enc.addRecipient(await keyOf(k, req.header?.alg ?? req.protected?.alg))
        if (req.header) r.setUnprotectedHeader(req.header)
        if (req.p2c) r.setKeyManagementParameters({ p2c: req.p2c })
      }
      return { jwe: await enc.encrypt() }
    }
    const enc = new jose.FlattenedEncrypt(payloadOf(req))
    if (req.protected) enc.setProtectedHeader(req.protected)
    if (req.unprotected) enc.setSharedUnprotectedHeader(req.unprotected)
    if (req.header) enc.setUnprotectedHeader(req.header)
    if (req.p2c) enc.setKeyManagementParameters({ p2c: req.p2c })
    return { jwe: await enc.encrypt(await keyOf(keys[0], req.header?.alg ?? req.protected?.alg)) }
  },

  // A JSON JWE, flattened or general, with the options decryptFlattened
  // lacks: jose 6 refuses PBES2 unless keyManagementAlgorithms names it,
  // and caps p2c at 10,000 unless maxPBES2Count says more.
  async decryptJSON(req) {
    const opts = {}
    if (req.maxPBES2Count) opts.maxPBES2Count = req.maxPBES2Count
    if (req.keyManagementAlgorithms) opts.keyManagementAlgorithms = req.keyManagementAlgorithms
    const key = await keyOf(req.key, req.alg)
    const r = req.jwe.recipients ? await jose.generalDecrypt(req.jwe, key, opts) : await jose.flattenedDecrypt(req.jwe, key, opts)
    return { header: r.protectedHeader, plaintext: td.decode(r.plaintext) }
  },

  // JWT verification against a remote JWKS (a local issuer): discovery is
  // the caller's job; jwksUri may be http on loopback.
  async remoteVerify(req) {
    const set = jose.createRemoteJWKSet(new URL(req.jwksUri), { cooldownDuration: req.cooldownMs ?? 0 })
    const results = []
    for (const token of req.tokens) {
      try {
        const { payload, protectedHeader } = await jose.jwtVerify(token, set, { issuer: req.issuer, audience: req.audience })
        results.push({ ok: true, kid: protectedHeader.kid, claims: payload })
      } catch (e) {
        results.push({ ok: false, error: String(e.message ?? e), code: e.code })
      }
    }
    return { results }
  },

  // Like remoteVerify, with one remote key set kept across a sequence of
  // tokens the caller hands out one at a time: GET nextTokenUrl answers the
  // next token (text), or 204 when done. Between two answers the caller can
  // change what the issuer serves (a rotation), so the set meets a kid it
  // has not cached and re-fetches, as a long-running verifier does.
  async remoteVerifySequence(req) {
    const set = jose.createRemoteJWKSet(new URL(req.jwksUri), { cooldownDuration: req.cooldownMs ?? 0 })
    const results = []
    for (let i = 0; i < 100; i++) {
      const res = await fetch(req.nextTokenUrl)
      if (res.status === 204) break
      if (!res.ok) throw new Error(`nextTokenUrl answered ${res.status}`)
      const token = await res.text()
      try {
        const { payload, protectedHeader } = await jose.jwtVerify(token, set, { issuer: req.issuer, audience: req.audience })
        results.push({ ok: true, kid: protectedHeader.kid, claims: payload })
      } catch (e) {
        results.push({ ok: false, error: String(e.message ?? e), code: e.code })
      }
    }
    return { results }
  },

  async thumbprint(req) {
    return { thumbprint: await jose.calculateJwkThumbprint(req.key, 'sha256') }
  },
}

// keyFromSet picks the private key a JWE names by kid from a JWKS (jose has
// no local key set for decryption).
async function keyFromSet(jwks, token) {
  const header = jose.decodeProtectedHeader(token)
  const k = jwks.keys.find((k) => header.kid === undefined || k.kid === header.kid)
  if (!k) throw new Error(`no key with kid ${header.kid}`)
  return jose.importJWK(k, header.alg)
}

async function run(req) {
  const op = ops[req.op]
  if (!op) throw new Error(`unknown op ${req.op}`)
  return op(req)
}

// {"op": "batch", "requests": [...]} runs each request in turn (one node
// start for many): {"ok": true, "results": [{"ok": ...}, ...]}.
ops.batch = async (req) => {
  const results = []
  for (const r of req.requests) {
    try {
      results.push({ ok: true, ...(await run(r)) })
    } catch (e) {
      results.push({ ok: false, error: String(e?.message ?? e), code: e?.code })
    }
  }
  return { results }
}

async function main() {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  return run(JSON.parse(Buffer.concat(chunks).toString('utf8')))
}

main().then(
  (out) => process.stdout.write(JSON.stringify({ ok: true, ...out })),
  (e) => process.stdout.write(JSON.stringify({ ok: false, error: String(e?.message ?? e), code: e?.code })),
)
