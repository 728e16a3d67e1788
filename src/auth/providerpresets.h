#pragma once

#include "oauthlogin.h"

#include <apimodel.h>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace portolan::auth {

// What a preset suggests for logging in with the scheme it filled, kept with
// the user's scheme (SchemeOverrides::loginDefaults). Never a secret.
struct LoginDefaults {
    QString preset;                // the preset's id
    QString clientAuthentication;  // client_secret_basic, client_secret_post, none, …
    QString pkce;                  // S256, plain, none
    QString redirectRule;          // anyLoopbackPort or exact
    QUrl redirectUri;              // suggested; with anyLoopbackPort usually without a port
    QUrl discoveryUrl;
    QUrl revocationUrl;
    QUrl introspectionUrl;
    QString scopeSeparator;        // empty: a space (RFC 6749 §3.3); Slack wants ","

    QJsonObject toJson() const;
    static LoginDefaults fromJson(const QJsonObject &json);
    // Fills what `settings` leaves empty (discovery, revocation and introspection
    // URLs) and writes the scopes as the provider expects them.
    void applyTo(LoginSettings *settings) const;
};

// A well-known provider as described in resources/providers/presets.json.
struct ProviderPreset {
    struct Placeholder {
        QString name;  // as written in braces: tenant, domain, realm, …
        QString description;
        QString defaultValue;  // empty: the user must give one
    };
    QString id;
    QString name;
    QStringList documentation;  // the provider's public documentation this preset follows
    QString apiBaseUrl;
    QList<Placeholder> placeholders;
    QJsonObject scheme;         // an OpenAPI Security Scheme Object, with {placeholders}
    QJsonObject loginDefaults;  // LoginDefaults JSON, with {placeholders}
    QStringList quirks;

    // The scheme and login defaults with every placeholder filled from
    // `values` or its default. False with `error` naming a placeholder that has neither.
    bool instantiate(const QString &schemeName, const QHash<QString, QString> &values, SecurityScheme *scheme,
                     LoginDefaults *defaults, QString *error) const;
};

class ProviderPresets {
public:
    // The presets shipped with Portolan (a resource compiled in).
    static const ProviderPresets &builtIn();
    // False with `error` naming the preset and field when `json` is not a valid presets file.
    static bool parse(const QByteArray &json, ProviderPresets *presets, QString *error);

    const QList<ProviderPreset> &all() const { return m_presets; }
    const ProviderPreset *find(const QString &id) const;
    QString quirkDescription(const QString &quirk) const { return m_quirkDescriptions.value(quirk); }

private:
    QList<ProviderPreset> m_presets;
    QHash<QString, QString> m_quirkDescriptions;
};

} // namespace portolan::auth
