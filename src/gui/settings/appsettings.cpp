#include "appsettings.h"

#include "privatefiles.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QPalette>
#include <QSettings>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStyle>
#include <QStyleFactory>

namespace portolan::gui {

namespace {
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1f, 0x21, 0x24), text(0xe8, 0xea, 0xed);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x6d, 0xb5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x45, 0x48, 0x4d));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}
} // namespace

AppSettings AppSettings::load()
{
    QSettings s;
    // QSettings keeps the permissions of an existing file: made owner-only
    // once, before anything is written, it stays so.
    [[maybe_unused]] static const bool privateFile = [&s] {
        return makePrivateDirectory(QFileInfo(s.fileName()).path()) && makeOwnerOnly(s.fileName());
    }();
    AppSettings settings;
    settings.proxy = Proxy(qBound(0, s.value(QStringLiteral("network/proxy"), 0).toInt(), 2));
    settings.proxyHost = s.value(QStringLiteral("network/proxyHost")).toString();
    settings.proxyPort = s.value(QStringLiteral("network/proxyPort"), 8080).toInt();
    settings.maxDecodedBodyMB = qMax(1, s.value(QStringLiteral("network/maxDecodedBodyMB"), 1024).toInt());
    settings.caCertificateFiles = s.value(QStringLiteral("tls/caFiles")).toStringList();
    settings.clientCertificateFile = s.value(QStringLiteral("tls/clientCertificateFile")).toString();
    settings.clientKeyFile = s.value(QStringLiteral("tls/clientKeyFile")).toString();
    settings.theme = Theme(qBound(0, s.value(QStringLiteral("appearance/theme"), 0).toInt(), 2));
    settings.interfaceFont = s.value(QStringLiteral("appearance/interfaceFont")).toString();
    settings.monospaceFont = s.value(QStringLiteral("appearance/monospaceFont")).toString();
    return settings;
}

void AppSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("network/proxy"), int(proxy));
    s.setValue(QStringLiteral("network/proxyHost"), proxyHost);
    s.setValue(QStringLiteral("network/proxyPort"), proxyPort);
    s.setValue(QStringLiteral("network/maxDecodedBodyMB"), maxDecodedBodyMB);
    s.setValue(QStringLiteral("tls/caFiles"), caCertificateFiles);
    s.setValue(QStringLiteral("tls/clientCertificateFile"), clientCertificateFile);
    s.setValue(QStringLiteral("tls/clientKeyFile"), clientKeyFile);
    s.setValue(QStringLiteral("appearance/theme"), int(theme));
    s.setValue(QStringLiteral("appearance/interfaceFont"), interfaceFont);
    s.setValue(QStringLiteral("appearance/monospaceFont"), monospaceFont);
}

QStringList AppSettings::apply() const
{
    // Theme: Qt 6.4 has no colour-scheme hint, so "System" keeps the
    // platform style's own palette, and Light/Dark use Fusion with ours.
    static const QString platformStyle = QApplication::style()->name();
    static const QPalette platformPalette = QApplication::palette();
    static Theme applied = Theme::System;  // what the running application shows now
    switch (theme) {
    case Theme::System:
        if (applied != Theme::System) {
            QApplication::setStyle(QStyleFactory::create(platformStyle));
            QApplication::setPalette(platformPalette);
        }
        break;
    case Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        break;
    }
    applied = theme;
    if (!interfaceFont.isEmpty()) {
        QFont font;
        if (font.fromString(interfaceFont))
            QApplication::setFont(font);
    }
    if (!monospaceFont.isEmpty()) {
        QFont font;
        if (font.fromString(monospaceFont)) {
            QApplication::setFont(font, "QPlainTextEdit");
        }
    }

    switch (proxy) {
    case Proxy::System:
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        break;
    case Proxy::None:
        QNetworkProxyFactory::setUseSystemConfiguration(false);
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        break;
    case Proxy::Manual:
        QNetworkProxyFactory::setUseSystemConfiguration(false);
        QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::HttpProxy, proxyHost, quint16(proxyPort)));
        break;
    }

    QStringList unreadable;
    static bool extraAuthoritiesApplied = false;
    // Reading the system's authorities takes a while: only do it when there is something to add or undo.
    if (caCertificateFiles.isEmpty() && !extraAuthoritiesApplied)
        return unreadable;
    extraAuthoritiesApplied = !caCertificateFiles.isEmpty();
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    QList<QSslCertificate> authorities = QSslConfiguration::systemCaCertificates();
    for (const QString &path : caCertificateFiles) {
        QFile file(path);
        const QList<QSslCertificate> certificates =
            file.open(QIODevice::ReadOnly) ? QSslCertificate::fromDevice(&file, QSsl::Pem) : QList<QSslCertificate>();
        if (certificates.isEmpty())
            unreadable << path;
        authorities += certificates;
    }
    tls.setCaCertificates(authorities);
    QSslConfiguration::setDefaultConfiguration(tls);
    return unreadable;
}

auth::PemIdentity loadClientIdentity(const AppSettings &settings, const QByteArray &passphrase)
{
    auth::PemIdentity identity;
    if (settings.clientCertificateFile.isEmpty() && settings.clientKeyFile.isEmpty()) {
        identity.status = auth::PemIdentity::Status::Ok;
        return identity;
    }
    if (settings.clientCertificateFile.isEmpty() || settings.clientKeyFile.isEmpty()) {
        identity.error = QObject::tr("Settings name a client certificate without its private key, or a key without its certificate.");
        return identity;
    }
    identity = auth::loadPemIdentity(settings.clientKeyFile, settings.clientCertificateFile, passphrase);
    if (identity.ok() && identity.certificates.isEmpty()) {
        identity.status = auth::PemIdentity::Status::Error;
        identity.error = QObject::tr("No PEM certificate in %1.").arg(settings.clientCertificateFile);
    }
    return identity;
}

} // namespace portolan::gui
