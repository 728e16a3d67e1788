#pragma once

#include "loginplan.h"

#include <QHash>
#include <QString>

namespace portolan::client {

// The non-secret login settings last used per API and scheme — client id,
// client authentication, scopes, redirect URI, discovery URL, key and
// certificate paths, PKCE, DPoP and extra parameters — so both front ends
// prefill them next time. Kept in one JSON file (<AppDataLocation>/login-settings.json),
// written atomically; secrets are never written.
class LoginMemory {
public:
    // `file` empty = the default location.
    explicit LoginMemory(const QString &file = QString());

    QString file() const { return m_file; }

    // What was used last time, secrets empty; a default LoginInput when nothing was remembered.
    LoginInput recall(const QString &api, const QString &scheme) const;
    bool contains(const QString &api, const QString &scheme) const;
    // Remembers `input` without its secrets.
    bool remember(const QString &api, const QString &scheme, const LoginInput &input, QString *error = nullptr);
    // `input` with empty fields filled from what was remembered (the secrets stay as given),
    // unless `input` names another client id than the remembered one.
    LoginInput withRemembered(const QString &api, const QString &scheme, LoginInput input) const;

private:
    QString m_file;
};

} // namespace portolan::client
