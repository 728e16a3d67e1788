#include "pemidentity.h"

#include <QFile>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace portolan::auth {

namespace {

struct PassphraseRequest {
    QByteArray passphrase;
    bool asked = false;
};

// OpenSSL asks only for an encrypted key. With no passphrase we answer nothing
// (never the terminal's prompt) and remember that one was needed.
int passphraseCallback(char *buffer, int size, int, void *userData)
{
    auto *request = static_cast<PassphraseRequest *>(userData);
    request->asked = true;
    const int length = int(qMin<qsizetype>(request->passphrase.size(), size));
    memcpy(buffer, request->passphrase.constData(), size_t(length));
    return request->passphrase.isEmpty() ? -1 : length;
}

PemIdentity failure(const QString &error)
{
    PemIdentity identity;
    identity.error = error;
    return identity;
}

} // namespace

PemIdentity readPemIdentity(const QByteArray &keyPem, const QByteArray &certificatePem, const QByteArray &passphrase)
{
    using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
    Bio in(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), &BIO_free);
    PassphraseRequest request{passphrase};
    EVP_PKEY *key = PEM_read_bio_PrivateKey(in.get(), nullptr, &passphraseCallback, &request);
    if (!key) {
        if (request.asked && passphrase.isEmpty()) {
            PemIdentity identity;
            identity.status = PemIdentity::Status::NeedsPassphrase;
            identity.error = QStringLiteral("the private key is protected by a passphrase");
            return identity;
        }
        return failure(request.asked ? QStringLiteral("the passphrase does not open the private key")
                                     : QStringLiteral("no PEM private key (RSA, EC or Ed25519) found"));
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> owned(key, &EVP_PKEY_free);

    // Unencrypted PKCS#8, in memory only: what QSslKey and the JOSE code read.
    Bio out(BIO_new(BIO_s_mem()), &BIO_free);
    if (!PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
        return failure(QStringLiteral("the private key cannot be converted"));
    char *data = nullptr;
    const long length = BIO_get_mem_data(out.get(), &data);
    const QByteArray pkcs8(data, int(length));

    PemIdentity identity;
    QString error;
    identity.signingKey = JsonWebKey::fromPrivatePem(pkcs8, {}, &error);
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        identity.key = QSslKey(pkcs8, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
        break;
    case EVP_PKEY_EC:
        identity.key = QSslKey(pkcs8, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
        break;
    case EVP_PKEY_ED25519:
        // QSslKey has no Ed25519 type; as an opaque key it takes ownership of a reference.
        EVP_PKEY_up_ref(key);
        identity.key = QSslKey(Qt::HANDLE(key), QSsl::PrivateKey);
        break;
    default:
        return failure(QStringLiteral("the private key is neither RSA, EC nor Ed25519"));
    }
    if (identity.key.isNull())
        return failure(QStringLiteral("the private key cannot be used for TLS"));
    identity.certificates = QSslCertificate::fromData(certificatePem.isEmpty() ? keyPem : certificatePem, QSsl::Pem);
    if (!certificatePem.isEmpty() && identity.certificates.isEmpty())
        return failure(QStringLiteral("no PEM certificate found"));
    identity.status = PemIdentity::Status::Ok;
    return identity;
}

PemIdentity loadPemIdentity(const QString &keyPath, const QString &certificatePath, const QByteArray &passphrase)
{
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read the private key %1: %2").arg(keyPath, keyFile.errorString()));
    QByteArray certificatePem;
    if (!certificatePath.isEmpty() && certificatePath != keyPath) {
        QFile certificateFile(certificatePath);
        if (!certificateFile.open(QIODevice::ReadOnly))
            return failure(QStringLiteral("cannot read the certificate %1: %2").arg(certificatePath, certificateFile.errorString()));
        certificatePem = certificateFile.readAll();
    }
    PemIdentity identity = readPemIdentity(keyFile.readAll(), certificatePem, passphrase);
    if (identity.status == PemIdentity::Status::Error) {
        const bool aboutCertificate = identity.error.contains(QLatin1String("certificate"));
        identity.error = QStringLiteral("%1: %2").arg(aboutCertificate ? certificatePath : keyPath, identity.error);
    } else if (identity.status == PemIdentity::Status::NeedsPassphrase) {
        identity.error = QStringLiteral("%1: %2").arg(keyPath, identity.error);
    }
    return identity;
}

} // namespace portolan::auth
