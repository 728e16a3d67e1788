#include "schemeedits.h"

#include "providerpresets.h"

namespace portolan::client {

namespace {
QString owner(const SecurityScheme &scheme)
{
    return scheme.userDefined ? QStringLiteral("yours") : QStringLiteral("the document's");
}
} // namespace

bool addScheme(const ApiDocument &document, SchemeOverrides *overrides, const SecurityScheme &scheme,
               const QJsonObject &loginDefaults, QString *error)
{
    if (const SecurityScheme *current = document.securityScheme(scheme.name)) {
        *error = QStringLiteral("scheme '%1' exists already (%2): use 'edit'").arg(scheme.name, owner(*current));
        return false;
    }
    if (scheme.name.trimmed().isEmpty()) {
        *error = QStringLiteral("a scheme needs a name");
        return false;
    }
    overrides->setScheme(scheme);  // marks it the user's
    if (!loginDefaults.isEmpty())
        overrides->loginDefaults.insert(scheme.name, loginDefaults);
    return true;
}

bool addPresetScheme(const ApiDocument &document, SchemeOverrides *overrides, const QString &name, const QString &presetId,
                     const QHash<QString, QString> &values, QString *error)
{
    const auth::ProviderPreset *preset = auth::ProviderPresets::builtIn().find(presetId);
    if (!preset) {
        *error = QStringLiteral("no preset '%1' (see 'portolan-cli scheme presets')").arg(presetId);
        return false;
    }
    SecurityScheme scheme;
    auth::LoginDefaults defaults;
    if (!preset->instantiate(name, values, &scheme, &defaults, error))
        return false;
    return addScheme(document, overrides, scheme, defaults.toJson(), error);
}

bool editScheme(const ApiDocument &document, SchemeOverrides *overrides, const SecurityScheme &scheme, QString *error)
{
    if (!document.securityScheme(scheme.name)) {
        *error = QStringLiteral("no scheme '%1' to edit: use 'add'").arg(scheme.name);
        return false;
    }
    overrides->setScheme(scheme);
    return true;
}

bool removeScheme(const ApiDocument &document, SchemeOverrides *overrides, const QString &name, QString *error)
{
    if (overrides->removeScheme(name))
        return true;
    *error = document.securityScheme(name) ? QStringLiteral("scheme '%1' is the document's; only yours can be removed").arg(name)
                                           : QStringLiteral("no scheme '%1'").arg(name);
    return false;
}

bool requireScheme(const ApiDocument &document, SchemeOverrides *overrides, const QString &name, const QStringList &scopes,
                   const Operation *operation, QString *error)
{
    if (!document.securityScheme(name) && !overrides->scheme(name)) {
        *error = QStringLiteral("no scheme '%1': add it first").arg(name);
        return false;
    }
    const SecurityRequirement requirement{{SchemeUse{name, scopes}}};
    if (operation)
        overrides->operationRequirements.insert(operationKey(*operation), requirement);
    else
        overrides->apiRequirement = requirement;
    return true;
}

void removeRequirement(SchemeOverrides *overrides, const Operation *operation)
{
    if (operation)
        overrides->operationRequirements.remove(operationKey(*operation));
    else
        overrides->apiRequirement.reset();
}

void mergeLoginDefaults(SchemeOverrides *overrides, const QString &name, const QJsonObject &changes)
{
    QJsonObject defaults = overrides->loginDefaults.value(name);
    for (auto it = changes.begin(); it != changes.end(); ++it)
        defaults.insert(it.key(), it.value());
    if (!defaults.isEmpty())
        overrides->loginDefaults.insert(name, auth::LoginDefaults::fromJson(defaults).toJson());
}

} // namespace portolan::client
