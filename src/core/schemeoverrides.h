#pragma once

#include "apimodel.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace portolan {

// The user's own security settings for one API, for documents that lack or
// get wrong what a login needs (GitHub's description declares no scheme at
// all): schemes added or replacing the document's, and the requirement for
// the whole API or per operation. Applied to the loaded document, so every
// part downstream sees one model; what came from the user is marked so. Kept
// beside the API's state, as JSON in the same shape as the document's
// Security Scheme and Security Requirement Objects. Never holds a secret.
struct SchemeOverrides {
    QList<SecurityScheme> schemes;  // by name: added, or replacing the document's scheme of that name
    // Login defaults a provider preset suggests for a scheme (clientAuthentication, pkce,
    // redirectUri, discoveryUrl, revocationUrl, introspectionUrl, preset): scheme name -> object.
    QHash<QString, QJsonObject> loginDefaults;
    std::optional<SecurityRequirement> apiRequirement;
    QHash<QString, SecurityRequirement> operationRequirements;  // operation key ("GET /repos") -> requirement

    bool isEmpty() const;
    const SecurityScheme *scheme(const QString &name) const;
    // Adds or replaces the scheme of the same name.
    void setScheme(const SecurityScheme &scheme);
    // Removes the user's scheme, its login defaults, and every requirement naming it. False when there is none.
    bool removeScheme(const QString &name);

    // Schemes are added or replaced (marked userDefined), requirements set (marked as the user's).
    void applyTo(ApiDocument &document) const;

    QJsonObject toJson() const;
    // Unusable entries are skipped and described in `problems`.
    static SchemeOverrides fromJson(const QJsonObject &json, QStringList *problems = nullptr);

    // Beside the API's state file: <app data>/api-state/<hash of the URL>.schemes.json.
    static QString filePathFor(const QUrl &documentUrl);
    // Empty overrides when none are stored; false with `error` when the file is unreadable.
    static bool load(const QUrl &documentUrl, SchemeOverrides *overrides, QString *error);
    bool save(const QUrl &documentUrl, QString *error) const;
};

// "GET /pets/{id}" (or "WEBHOOK POST name"): how the user's per-operation requirements name an operation.
QString operationKey(const Operation &operation);
// The base of an API's state files: <app data>/api-state/<first 32 hex of SHA-256 of the URL>.
QString apiStatePathStem(const QUrl &documentUrl);

// The OpenAPI Security Scheme Object for `scheme` (3.x spelling).
QJsonObject securitySchemeToJson(const SecurityScheme &scheme);
// False with `error` (naming the field) when `json` is not a usable Security Scheme Object.
bool securitySchemeFromJson(const QString &name, const QJsonObject &json, SecurityScheme *scheme, QString *error);
// A Security Requirement list: [{"scheme": ["scope", …]}, …].
QJsonArray securityRequirementToJson(const SecurityRequirement &requirement);
SecurityRequirement securityRequirementFromJson(const QJsonArray &json);

} // namespace portolan
