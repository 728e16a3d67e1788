#include "providerpresets.h"

#include <schemeoverrides.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace portolan::auth {

namespace {

QJsonValue substituted(const QJsonValue &value, const QHash<QString, QString> &values)
{
    if (value.isString()) {
        QString text = value.toString();
        for (auto it = values.begin(); it != values.end(); ++it)
            text.replace(QLatin1Char('{') + it.key() + QLatin1Char('}'), it.value());
        return text;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            *it = substituted(it.value(), values);
        return object;
    }
    return value;
}

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out.append(item.toString());
    return out;
}

} // namespace

QJsonObject LoginDefaults::toJson() const
{
    QJsonObject json;
    auto put = [&json](const char *name, const QString &value) {
        if (!value.isEmpty())
            json.insert(QLatin1String(name), value);
    };
    put("preset", preset);
    put("clientAuthentication", clientAuthentication);
    put("pkce", pkce);
    put("redirectRule", redirectRule);
    put("redirectUri", redirectUri.toString());
    put("discoveryUrl", discoveryUrl.toString());
    put("revocationUrl", revocationUrl.toString());
    put("introspectionUrl", introspectionUrl.toString());
    put("scopeSeparator", scopeSeparator);
    return json;
}

LoginDefaults LoginDefaults::fromJson(const QJsonObject &json)
{
    auto text = [&json](const char *name) { return json.value(QLatin1String(name)).toString(); };
    LoginDefaults d;
    d.preset = text("preset");
    d.clientAuthentication = text("clientAuthentication");
    d.pkce = text("pkce");
    d.redirectRule = text("redirectRule");
    d.redirectUri = QUrl(text("redirectUri"));
    d.discoveryUrl = QUrl(text("discoveryUrl"));
    d.revocationUrl = QUrl(text("revocationUrl"));
    d.introspectionUrl = QUrl(text("introspectionUrl"));
    d.scopeSeparator = text("scopeSeparator");
    return d;
}

void LoginDefaults::applyTo(LoginSettings *settings) const
{
    // The authorization request joins scopes with spaces: one pre-joined item keeps the provider's separator.
    if (!scopeSeparator.isEmpty() && settings->scopes.size() > 1)
        settings->scopes = QStringList{settings->scopes.join(scopeSeparator)};
    if (settings->discoveryUrl.isEmpty())
        settings->discoveryUrl = discoveryUrl;
    if (settings->revocationUrl.isEmpty())
        settings->revocationUrl = revocationUrl;
    if (settings->introspectionUrl.isEmpty())
        settings->introspectionUrl = introspectionUrl;
}

bool ProviderPreset::instantiate(const QString &schemeName, const QHash<QString, QString> &values, SecurityScheme *out,
                                 LoginDefaults *defaults, QString *error) const
{
    QHash<QString, QString> filled;
    for (const Placeholder &placeholder : placeholders) {
        const QString value = values.value(placeholder.name, placeholder.defaultValue);
        if (value.isEmpty()) {
            *error = QStringLiteral("the %1 preset needs {%2}: %3").arg(id, placeholder.name, placeholder.description);
            return false;
        }
        filled.insert(placeholder.name, value);
    }
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (!filled.contains(it.key())) {
            *error = QStringLiteral("the %1 preset has no placeholder {%2}").arg(id, it.key());
            return false;
        }
    }
    if (!securitySchemeFromJson(schemeName, substituted(scheme, filled).toObject(), out, error))
        return false;
    *defaults = LoginDefaults::fromJson(substituted(loginDefaults, filled).toObject());
    if (out->description.isEmpty())
        out->description = name;
    return true;
}

const ProviderPresets &ProviderPresets::builtIn()
{
    static const ProviderPresets presets = [] {
        ProviderPresets loaded;
        QFile file(QStringLiteral(":/portolan/providers/presets.json"));
        QString error;
        // The file is compiled in and checked by the tests: failing here is a build defect.
        if (!file.open(QIODevice::ReadOnly) || !parse(file.readAll(), &loaded, &error))
            qFatal("the built-in provider presets are unusable: %s", qPrintable(error));
        return loaded;
    }();
    return presets;
}

bool ProviderPresets::parse(const QByteArray &json, ProviderPresets *presets, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("not a JSON object: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
        return false;
    }
    const QJsonObject root = document.object();
    ProviderPresets out;
    const QJsonObject quirks = root.value(QLatin1String("quirkDescriptions")).toObject();
    for (auto it = quirks.begin(); it != quirks.end(); ++it)
        out.m_quirkDescriptions.insert(it.key(), it.value().toString());
    static const QRegularExpression placeholderPattern(QStringLiteral("\\{([A-Za-z]+)\\}"));
    for (const QJsonValue &value : root.value(QLatin1String("presets")).toArray()) {
        const QJsonObject o = value.toObject();
        ProviderPreset preset;
        preset.id = o.value(QLatin1String("id")).toString();
        preset.name = o.value(QLatin1String("name")).toString();
        preset.documentation = strings(o.value(QLatin1String("documentation")));
        preset.apiBaseUrl = o.value(QLatin1String("apiBaseUrl")).toString();
        preset.scheme = o.value(QLatin1String("scheme")).toObject();
        preset.quirks = strings(o.value(QLatin1String("quirks")));
        const QJsonObject placeholders = o.value(QLatin1String("placeholders")).toObject();
        for (auto it = placeholders.begin(); it != placeholders.end(); ++it)
            preset.placeholders.append({it.key(), it.value()[QLatin1String("description")].toString(),
                                        it.value()[QLatin1String("default")].toString()});
        // Kept as written: {placeholders} are filled by instantiate() before anything becomes a URL.
        const QJsonObject redirect = o.value(QLatin1String("redirectUri")).toObject();
        QJsonObject defaults{{QStringLiteral("preset"), preset.id},
                             {QStringLiteral("redirectRule"), redirect.value(QLatin1String("rule"))},
                             {QStringLiteral("redirectUri"), redirect.value(QLatin1String("suggested"))}};
        for (const char *name : {"clientAuthentication", "pkce", "discoveryUrl", "revocationUrl", "introspectionUrl", "scopeSeparator"})
            if (o.contains(QLatin1String(name)))
                defaults.insert(QLatin1String(name), o.value(QLatin1String(name)));
        preset.loginDefaults = defaults;
        const QString clientAuthentication = defaults.value(QLatin1String("clientAuthentication")).toString();
        const QString redirectRule = defaults.value(QLatin1String("redirectRule")).toString();

        auto fail = [&](const QString &what) {
            *error = QStringLiteral("preset %1: %2").arg(preset.id.isEmpty() ? QStringLiteral("#%1").arg(out.m_presets.size()) : preset.id, what);
            return false;
        };
        ClientAuthMethod method;
        if (preset.id.isEmpty() || preset.name.isEmpty())
            return fail(QStringLiteral("id and name are required"));
        if (out.find(preset.id))
            return fail(QStringLiteral("the id is used twice"));
        if (preset.documentation.isEmpty() || !preset.documentation.first().startsWith(QLatin1String("https://")))
            return fail(QStringLiteral("documentation must cite the provider's public documentation (https URLs)"));
        if (!clientAuthMethodFromName(clientAuthentication, &method))
            return fail(QStringLiteral("unknown clientAuthentication \"%1\"").arg(clientAuthentication));
        if (redirectRule != QLatin1String("anyLoopbackPort") && redirectRule != QLatin1String("exact"))
            return fail(QStringLiteral("redirectUri.rule must be anyLoopbackPort or exact"));
        for (const QString &quirk : std::as_const(preset.quirks))
            if (!out.m_quirkDescriptions.contains(quirk))
                return fail(QStringLiteral("quirk \"%1\" is not described in quirkDescriptions").arg(quirk));
        // Every placeholder used must be declared, so instantiate() can ask for it.
        const QString text = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        for (auto match = placeholderPattern.globalMatch(text); match.hasNext();) {
            const QString name = match.next().captured(1);
            if (!placeholders.contains(name))
                return fail(QStringLiteral("{%1} is used but not declared under placeholders").arg(name));
        }
        SecurityScheme check;
        QString problem;
        if (!securitySchemeFromJson(preset.id, preset.scheme, &check, &problem))
            return fail(problem);
        out.m_presets.append(preset);
    }
    if (out.m_presets.isEmpty()) {
        *error = QStringLiteral("no presets");
        return false;
    }
    *presets = out;
    return true;
}

const ProviderPreset *ProviderPresets::find(const QString &id) const
{
    for (const ProviderPreset &preset : m_presets)
        if (preset.id.compare(id, Qt::CaseInsensitive) == 0)
            return &preset;
    return nullptr;
}

} // namespace portolan::auth
