#pragma once

#include "pemidentity.h"

#include <QFont>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

namespace portolan::gui {

// Application preferences, kept in QSettings. None of them is secret: proxy
// credentials, if a proxy asks for them, belong in the keychain, not here.
struct AppSettings {
    enum class Proxy { System, None, Manual };
    enum class Theme { System, Light, Dark };

    Proxy proxy = Proxy::System;
    QString proxyHost;
    int proxyPort = 8080;
    // A gzip/deflate response body is decoded up to this size (a decompression bomb stops there).
    int maxDecodedBodyMB = 1024;
    QStringList caCertificateFiles;  // PEM files trusted in addition to the system's
    // Presented when a server asks for one. Paths only: the files stay where the user keeps them.
    QString clientCertificateFile;  // PEM certificate
    QString clientKeyFile;          // its unencrypted PEM private key
    Theme theme = Theme::System;
    QString interfaceFont;  // empty: the platform's
    QString monospaceFont;  // empty: the platform's fixed font

    static AppSettings load();
    void save() const;
    // Applies theme, fonts, proxy and CA certificates to the running application.
    // Returns the CA files that could not be read, for the caller to report.
    QStringList apply() const;
};

// The client certificate and key the settings name, read by the one PEM
// reader (RSA, EC, Ed25519). Ok with no certificate when none is configured;
// NeedsPassphrase for an encrypted key read without `passphrase` (ask the
// user); Error when one is configured but cannot be used: the caller must
// not send without it.
auth::PemIdentity loadClientIdentity(const AppSettings &settings, const QByteArray &passphrase);

} // namespace portolan::gui
