#pragma once

#include <apimodel.h>
#include <schemeoverrides.h>

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace portolan::client {

// The user's changes to an API's security schemes and requirements
// (SchemeOverrides), checked against the loaded document: what `portolan-cli
// scheme` and the security panel both do. Each returns false with `error`
// (and leaves `overrides` alone) when the change does not make sense.

// A new scheme of the user's; refused when the document (or the user) has one of that name.
// `loginDefaults` (LoginDefaults JSON) are kept with it when not empty.
bool addScheme(const ApiDocument &document, SchemeOverrides *overrides, const SecurityScheme &scheme,
               const QJsonObject &loginDefaults, QString *error);
// A new scheme named `name` filled from the preset `presetId`, its placeholders from `values`.
bool addPresetScheme(const ApiDocument &document, SchemeOverrides *overrides, const QString &name, const QString &presetId,
                     const QHash<QString, QString> &values, QString *error);
// Replaces a scheme the document or the user has; the document's becomes the user's version.
bool editScheme(const ApiDocument &document, SchemeOverrides *overrides, const SecurityScheme &scheme, QString *error);
// Removes the user's scheme (added, or the user's version of the document's) and the requirements naming it.
bool removeScheme(const ApiDocument &document, SchemeOverrides *overrides, const QString &name, QString *error);
// The whole API (`operation` null) or one operation requires `name` with `scopes`.
bool requireScheme(const ApiDocument &document, SchemeOverrides *overrides, const QString &name, const QStringList &scopes,
                   const Operation *operation, QString *error);
// Removes the user's requirement for the whole API (`operation` null) or one operation.
void removeRequirement(SchemeOverrides *overrides, const Operation *operation);
// Changes LoginDefaults members of the user's scheme `name` (merged into what is kept).
void mergeLoginDefaults(SchemeOverrides *overrides, const QString &name, const QJsonObject &changes);

} // namespace portolan::client
