"""Writes an Ente Auth encrypted export the way Ente's apps do, with libsodium itself (through
pysodium), so that Tessera's own secretstream code is checked against the reference library.

    python3 make_ente_encrypted.py PLAINTEXT_FILE PASSWORD OUT_JSON

The plaintext is an Ente plain-text export (one otpauth URI per line). Key: Argon2id
(crypto_pwhash) of the password with a random salt; data: one crypto_secretstream message
tagged FINAL, its header stored as `encryptionNonce`.
"""
import base64
import json
import sys

import pysodium

plain_path, password, out_path = sys.argv[1:4]
plaintext = open(plain_path, "rb").read()
ops_limit = 2
mem_limit = 64 * 1024 * 1024
salt = pysodium.randombytes(pysodium.crypto_pwhash_SALTBYTES)
key = pysodium.crypto_pwhash(
    32, password.encode(), salt, ops_limit, mem_limit, pysodium.crypto_pwhash_ALG_ARGON2ID13
)
state, header = pysodium.crypto_secretstream_xchacha20poly1305_init_push(key)
sealed = pysodium.crypto_secretstream_xchacha20poly1305_push(
    state, plaintext, None, pysodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
)
export = {
    "version": 1,
    "kdfParams": {
        "memLimit": mem_limit,
        "opsLimit": ops_limit,
        "salt": base64.b64encode(salt).decode(),
    },
    "encryptedData": base64.b64encode(sealed).decode(),
    "encryptionNonce": base64.b64encode(header).decode(),
}
with open(out_path, "w") as out:
    json.dump(export, out, indent=2)
    out.write("\n")
