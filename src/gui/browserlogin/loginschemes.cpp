#include "loginschemes.h"

#include <QSettings>
#include <QWebEngineUrlScheme>

namespace portolan::gui {

QStringList loginUrlSchemes()
{
    QStringList schemes = {QStringLiteral("org.portolan.demo"), QStringLiteral("portolan")};
    const QStringList extra = QSettings().value(QStringLiteral("login/customSchemes")).toStringList();
    for (const QString &scheme : extra) {
        const QString name = scheme.trimmed().toLower();
        if (!name.isEmpty() && !schemes.contains(name))
            schemes << name;
    }
    return schemes;
}

void registerLoginUrlSchemes()
{
    for (const QString &name : loginUrlSchemes()) {
        QWebEngineUrlScheme scheme(name.toLatin1());
        scheme.setSyntax(QWebEngineUrlScheme::Syntax::Path);
        QWebEngineUrlScheme::registerScheme(scheme);
    }
}

} // namespace portolan::gui
