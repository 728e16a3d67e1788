#include "credentialchoice.h"

#include "credentialstore.h"

#include <QCoreApplication>

namespace portolan::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portolan::client::CredentialChoice", text);
}

// Why `info` cannot serve `use` now, or empty when it can.
QString unusable(const auth::CredentialInfo &info, const SchemeUse &use)
{
    if (info.kind != auth::CredentialKind::OAuth2)
        return {};
    if (info.isExpired() && !info.hasRefreshToken)
        return tr("the token for %1 expired and cannot be refreshed; log in again").arg(use.scheme);
    QStringList missing;
    if (!info.scopes.isEmpty())
        for (const QString &scope : use.scopes)
            if (!info.scopes.contains(scope))
                missing.append(scope);
    if (!missing.isEmpty())
        return tr("the token for %1 lacks scope %2").arg(use.scheme, missing.join(QLatin1String(", ")));
    return {};
}

// Steps 2 and 3 of the rule for one scheme; `pinned` is step 1 when given.
auth::SchemeStatus evaluateScheme(const auth::CredentialStore &store, const ApiDocument &document, const QString &api,
                                  const SchemeUse &use, const CredentialRequest &request, const QString &pinned)
{
    auth::SchemeStatus status;
    status.scheme = use.scheme;
    status.scopes = use.scopes;
    status.definition = document.securityScheme(use.scheme);
    if (!status.definition) {
        status.problem = tr("scheme %1 is not declared in the document").arg(use.scheme);
        return status;
    }
    const QList<auth::CredentialInfo> stored = store.forScheme(api, use.scheme);  // most recently updated first
    const QString wanted = !pinned.isEmpty() ? pinned : request.saved.value(use.scheme);
    for (const auth::CredentialInfo &info : stored) {
        if (info.id == wanted) {
            status.credentialId = info.id;
            status.problem = unusable(info, use);
            return status;
        }
    }
    for (const auth::CredentialInfo &info : stored) {
        if (unusable(info, use).isEmpty()) {
            status.credentialId = info.id;
            return status;
        }
    }
    if (stored.isEmpty()) {
        status.problem = tr("no credential stored for %1").arg(use.scheme);
    } else {
        status.credentialId = stored.first().id;
        status.problem = unusable(stored.first(), use);
    }
    return status;
}

void use(CredentialChoice &choice, const auth::AlternativeStatus &status)
{
    choice.alternative = status.alternative;
    choice.credentials.clear();
    for (const auth::SchemeStatus &scheme : status.schemes)
        choice.credentials.insert(scheme.scheme, scheme.credentialId);
}

} // namespace

QString alternativeText(const SecurityAlternative &alternative)
{
    if (alternative.isEmpty())
        return tr("none");
    QStringList names;
    for (const SchemeUse &use : alternative)
        names << use.scheme;
    return names.join(QStringLiteral(" + "));
}

QString documentSource(const ApiDocument &document)
{
    const QString text = document.sourceUrl.isLocalFile() ? document.sourceUrl.toLocalFile() : document.sourceUrl.toString();
    return text.isEmpty() ? document.info.title : text;
}

QString loginCommand(const QString &source, const QString &scheme)
{
    const auto quoted = [](const QString &word) {
        static const QString plain = QStringLiteral("-_./:@=+,%~");  // needs no shell quoting
        const bool safe = !word.isEmpty() && std::all_of(word.begin(), word.end(), [](QChar c) {
            return c.isLetterOrNumber() || plain.contains(c);
        });
        return safe ? word : QLatin1Char('\'') + QString(word).replace(QLatin1String("'"), QLatin1String("'\\''")) + QLatin1Char('\'');
    };
    return QStringLiteral("portolan-cli login %1 --scheme %2").arg(quoted(source), quoted(scheme));
}

CredentialChoice chooseCredentials(const auth::CredentialStore &store, const ApiDocument &document,
                                   const SecurityRequirement &requirement, const CredentialRequest &request,
                                   const QString &source)
{
    CredentialChoice choice;
    if (request.noAuth)
        return choice;
    const QString api = auth::apiIdentity(document);

    QString pinnedScheme, pinnedId;
    SecurityRequirement candidates = requirement;
    if (!request.explicitCredential.isEmpty()) {
        pinnedId = store.resolveId(request.explicitCredential);
        if (pinnedId.isEmpty()) {
            choice.error = tr("no stored credential '%1' (or the prefix is ambiguous)").arg(request.explicitCredential);
            return choice;
        }
        const auth::CredentialInfo info = store.info(pinnedId);
        if (info.api != api) {
            choice.error = tr("credential %1 belongs to another API (%2)").arg(request.explicitCredential, info.apiTitle.isEmpty() ? info.api : info.apiTitle);
            return choice;
        }
        pinnedScheme = info.scheme;
        // The alternative that uses its scheme; a declared scheme the operation does not name is used alone.
        SecurityAlternative alternative;
        for (const SecurityAlternative &a : requirement)
            for (const SchemeUse &u : a)
                if (u.scheme == pinnedScheme && alternative.isEmpty())
                    alternative = a;
        if (alternative.isEmpty()) {
            if (!document.securityScheme(pinnedScheme)) {
                choice.error = tr("the credential's scheme '%1' is not declared in this document").arg(pinnedScheme);
                return choice;
            }
            alternative = {SchemeUse{pinnedScheme, {}}};
        }
        candidates = {alternative};
    }

    const auth::AlternativeStatus *optional = nullptr;
    for (const SecurityAlternative &alternative : candidates) {
        auth::AlternativeStatus status;
        status.alternative = alternative;
        for (const SchemeUse &u : alternative)
            status.schemes.append(evaluateScheme(store, document, api, u, request, u.scheme == pinnedScheme ? pinnedId : QString()));
        choice.statuses.append(status);
    }
    for (const auth::AlternativeStatus &status : choice.statuses) {
        if (status.alternative.isEmpty()) {
            optional = optional ? optional : &status;
        } else if (status.satisfied()) {
            use(choice, status);
            return choice;
        }
    }
    if (optional || candidates.isEmpty())
        return choice;  // credentials are optional here, or not needed at all

    if (!pinnedId.isEmpty()) {
        // The user named the credential: use it even if it looks unusable; the server will say.
        use(choice, choice.statuses.first());
        return choice;
    }
    choice.satisfied = false;
    QStringList problems, commands;
    for (const auth::AlternativeStatus &status : choice.statuses)
        for (const auth::SchemeStatus &scheme : status.schemes)
            if (!scheme.satisfied()) {
                problems << scheme.problem;
                if (scheme.definition && !commands.contains(loginCommand(source, scheme.scheme)))
                    commands << loginCommand(source, scheme.scheme);
            }
    problems.removeDuplicates();
    choice.message = tr("No stored credential satisfies the security requirement (%1); the request is sent without "
                        "credentials.").arg(problems.join(QStringLiteral("; ")));
    if (!commands.isEmpty())
        choice.message += QLatin1Char(' ') + tr("Log in with: %1").arg(commands.join(tr(" or ")));
    return choice;
}

} // namespace portolan::client
