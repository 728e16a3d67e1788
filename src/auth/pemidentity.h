#pragma once

#include "jose.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace portolan::auth {

// A private key read from PEM, and the certificate chain that goes with it.
// The one reader of client identities: TLS client certificates (Settings,
// `call --cert/--key`, tls_client_auth at the token endpoint) and
// private_key_jwt signing keys all come through here.
// Keys may be RSA, EC or Ed25519, in PKCS#1, SEC1 or PKCS#8 form, encrypted
// or not. An encrypted key without a passphrase is not an error: the status
// says so, and the front end asks the user and reads again.
struct PemIdentity {
    enum class Status { Ok, NeedsPassphrase, Error };
    Status status = Status::Error;
    QString error;                        // Error: what is wrong, naming the file when read from one
    QSslKey key;                          // for TLS; Ed25519 is held as an opaque OpenSSL key
    QList<QSslCertificate> certificates;  // leaf first; empty when no certificate was given or found
    JsonWebKey signingKey;                // the same key, for JWS signatures (private_key_jwt)

    bool ok() const { return status == Status::Ok; }
};

// `certificatePem` empty = certificates found in `keyPem` (a combined file), if any.
PemIdentity readPemIdentity(const QByteArray &keyPem, const QByteArray &certificatePem, const QByteArray &passphrase);

// The same from files; `certificatePath` empty = the key file may hold the certificates too.
PemIdentity loadPemIdentity(const QString &keyPath, const QString &certificatePath, const QByteArray &passphrase);

} // namespace portolan::auth
