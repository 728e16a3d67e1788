#pragma once

#include "requestsigner.h"

#include <apimodel.h>

#include <QHash>
#include <QString>

namespace portolan::auth {
class CredentialStore;
}

namespace portolan::client {

// What the user said about credentials for one request.
struct CredentialRequest {
    bool noAuth = false;            // send without credentials (CLI --no-auth)
    QString explicitCredential;     // a credential id or unique prefix (CLI --credential); wins over the rest
    QHash<QString, QString> saved;  // scheme -> credential id the user chose before (kept with the API's state)
};

// The credentials one request is sent with, chosen by one rule:
//  1. an explicit credential: the alternative of the requirement that uses its
//     scheme (a declared scheme the operation does not name is used alone);
//  2. otherwise per scheme the user's saved choice, while it is still stored;
//  3. otherwise the freshest credential of the scheme that is valid now or
//     can be refreshed.
// The first alternative (in document order) whose schemes all have one is
// used; an alternative needing no credentials is used only when no other is
// satisfied.
struct CredentialChoice {
    SecurityAlternative alternative;       // applied; empty = sent without credentials
    QHash<QString, QString> credentials;   // scheme -> credential id
    QList<auth::AlternativeStatus> statuses;  // every alternative, evaluated by the same rule
    bool satisfied = true;    // false: the requirement needs credentials and none satisfies it
    QString message;          // !satisfied: the schemes, what is missing, and the login command that helps
    QString error;            // the explicit credential is unknown or unusable here (a usage error)
};

// `source` is how the user named the document (shown in the login command).
CredentialChoice chooseCredentials(const auth::CredentialStore &store, const ApiDocument &document,
                                   const SecurityRequirement &requirement, const CredentialRequest &request,
                                   const QString &source);

// "portolan-cli login SOURCE --scheme NAME": what stores a credential for `scheme`.
QString loginCommand(const QString &source, const QString &scheme);

// "a + b" for an alternative's schemes, "none" for an empty one.
QString alternativeText(const SecurityAlternative &alternative);

// How a document is named in messages and commands: its file path, or its URL.
QString documentSource(const ApiDocument &document);

} // namespace portolan::client
