// portolan-cli scheme: the user's own security schemes for an API whose
// document lacks them or gets them wrong (SchemeOverrides), from a provider
// preset or field by field as in the document's Security Scheme Object.
#include "clicommand.h"

#include "operationsender.h"
#include "providerpresets.h"
#include "schemeedits.h"

#include <documentloader.h>
#include <schemeoverrides.h>

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonDocument>

using namespace portolan;
using namespace portolan::auth;

namespace cli {

namespace {

const char kSchemeDescription[] =
    "Your own security schemes for the API of SOURCE, kept with the API's state (never a\n"
    "secret) and applied to the document wherever Portolan loads it.\n"
    "  list SOURCE                     the schemes (the document's and yours) and requirements\n"
    "  presets                         the provider presets\n"
    "  add SOURCE NAME                 a scheme from --preset ID (--set PLACEHOLDER=VALUE) or the fields\n"
    "  edit SOURCE NAME                change fields of a scheme (the document's or yours); it becomes yours\n"
    "  remove SOURCE NAME              remove your scheme and the requirements naming it\n"
    "  require SOURCE NAME             the whole API (or --operation, its operationId or \"GET /path\")\n"
    "                                  requires this scheme (--scope S, repeatable)\n"
    "  unrequire SOURCE                remove your requirement (for the API or --operation)\n"
    "The fields are those of the Security Scheme Object; --flow names the one OAuth flow the URL\n"
    "and --scope options describe (created when missing; one flow per command).\n"
    "Exit status: 0 done, 1 the document or the file failed, 2 usage.";

struct SchemeOptions {
    QString action, source, name, preset, operation;
    QHash<QString, QString> placeholders;
    QHash<QString, QString> fields;  // top-level Security Scheme Object fields
    QJsonObject loginDefaults;       // LoginDefaults members to change
    std::optional<OAuthFlowKind> flow;
    QHash<QString, QString> flowUrls;               // flow field name -> value
    QList<std::pair<QString, QString>> flowScopes;  // name, description
    std::optional<OAuthFlowKind> removedFlow;
    QStringList scopes;  // require
    QString json;
    bool require = false;
};

bool flowKindFromName(const QString &name, OAuthFlowKind *kind)
{
    for (OAuthFlowKind candidate : allOAuthFlows()) {
        if (name.compare(oauthFlowName(candidate), Qt::CaseInsensitive) == 0) {
            *kind = candidate;
            return true;
        }
    }
    return false;
}

// Option name -> field name, for the Security Scheme Object, its flow, and the login defaults.
const QList<std::pair<QString, QString>> kFieldOptions = {
    {QStringLiteral("type"), QStringLiteral("type")}, {QStringLiteral("description"), QStringLiteral("description")},
    {QStringLiteral("in"), QStringLiteral("in")}, {QStringLiteral("param-name"), QStringLiteral("name")},
    {QStringLiteral("http-scheme"), QStringLiteral("scheme")}, {QStringLiteral("bearer-format"), QStringLiteral("bearerFormat")},
    {QStringLiteral("openid-connect-url"), QStringLiteral("openIdConnectUrl")}};
const QList<std::pair<QString, QString>> kFlowOptions = {
    {QStringLiteral("authorization-url"), QStringLiteral("authorizationUrl")}, {QStringLiteral("token-url"), QStringLiteral("tokenUrl")},
    {QStringLiteral("refresh-url"), QStringLiteral("refreshUrl")},
    {QStringLiteral("device-authorization-url"), QStringLiteral("deviceAuthorizationUrl")}};
const QList<std::pair<QString, QString>> kDefaultOptions = {
    {QStringLiteral("client-auth"), QStringLiteral("clientAuthentication")}, {QStringLiteral("pkce"), QStringLiteral("pkce")},
    {QStringLiteral("redirect-uri"), QStringLiteral("redirectUri")}, {QStringLiteral("discovery-url"), QStringLiteral("discoveryUrl")},
    {QStringLiteral("revocation-url"), QStringLiteral("revocationUrl")},
    {QStringLiteral("introspection-url"), QStringLiteral("introspectionUrl")}};

struct SchemeCommandLine : CommandLine {
    SchemeCommandLine()
        : CommandLine(QStringLiteral("scheme"), QLatin1String(kSchemeDescription),
                      {{QStringLiteral("ACTION"), QStringLiteral("list, presets, add, edit, remove, require or unrequire")},
                       {QStringLiteral("SOURCE"), QStringLiteral("the OpenAPI document (file or URL)")},
                       {QStringLiteral("NAME"), QStringLiteral("the scheme's name")}})
    {
        parser.addOptions({
            {QStringLiteral("preset"), QStringLiteral("add: fill the scheme from a provider preset"), QStringLiteral("ID")},
            {QStringLiteral("set"), QStringLiteral("a preset placeholder such as tenant, domain or realm (repeatable)"),
             QStringLiteral("PLACEHOLDER=VALUE")},
            {QStringLiteral("require"), QStringLiteral("add: the whole API requires the new scheme")},
            {QStringLiteral("operation"), QStringLiteral("require/unrequire: this operation only"), QStringLiteral("OPERATION")},
            {QStringLiteral("type"), QStringLiteral("apiKey, http, oauth2, openIdConnect or mutualTLS"), QStringLiteral("T")},
            {QStringLiteral("description"), QStringLiteral("the scheme's description"), QStringLiteral("TEXT")},
            {QStringLiteral("in"), QStringLiteral("apiKey: header, query or cookie"), QStringLiteral("WHERE")},
            {QStringLiteral("param-name"), QStringLiteral("apiKey: the header, query parameter or cookie name"), QStringLiteral("NAME")},
            {QStringLiteral("http-scheme"), QStringLiteral("http: basic, bearer, digest, …"), QStringLiteral("S")},
            {QStringLiteral("bearer-format"), QStringLiteral("http bearer: the token's format"), QStringLiteral("F")},
            {QStringLiteral("openid-connect-url"), QStringLiteral("openIdConnect: the discovery URL"), QStringLiteral("URL")},
            {QStringLiteral("flow"), QStringLiteral("oauth2: the flow the URL and scope options describe"), QStringLiteral("KIND")},
            {QStringLiteral("authorization-url"), QStringLiteral("the flow's authorizationUrl"), QStringLiteral("URL")},
            {QStringLiteral("token-url"), QStringLiteral("the flow's tokenUrl"), QStringLiteral("URL")},
            {QStringLiteral("refresh-url"), QStringLiteral("the flow's refreshUrl"), QStringLiteral("URL")},
            {QStringLiteral("device-authorization-url"), QStringLiteral("the flow's deviceAuthorizationUrl"), QStringLiteral("URL")},
            {QStringLiteral("scope"), QStringLiteral("a scope of the flow, or (require) a scope required; repeatable"),
             QStringLiteral("NAME[=DESCRIPTION]")},
            {QStringLiteral("remove-flow"), QStringLiteral("oauth2: remove this flow"), QStringLiteral("KIND")},
            {QStringLiteral("json"), QStringLiteral("the whole Security Scheme Object as JSON"), QStringLiteral("OBJECT")},
            {QStringLiteral("client-auth"), QStringLiteral("login default: the client authentication"), QStringLiteral("M")},
            {QStringLiteral("pkce"), QStringLiteral("login default: S256, plain or none"), QStringLiteral("METHOD")},
            {QStringLiteral("redirect-uri"), QStringLiteral("login default: the registered redirect URI"), QStringLiteral("URI")},
            {QStringLiteral("discovery-url"), QStringLiteral("login default: OpenID Connect discovery"), QStringLiteral("URL")},
            {QStringLiteral("revocation-url"), QStringLiteral("login default: RFC 7009 revocation"), QStringLiteral("URL")},
            {QStringLiteral("introspection-url"), QStringLiteral("login default: RFC 7662 introspection"), QStringLiteral("URL")},
        });
    }
};

// False with `error` when the command line does not make sense for its action.
bool readOptions(const QCommandLineParser &parser, SchemeOptions &o, QString *error)
{
    const QStringList positional = parser.positionalArguments();
    o.action = positional.value(0);
    o.source = positional.value(1);
    o.name = positional.value(2);
    static const QStringList actions = {QStringLiteral("list"), QStringLiteral("presets"), QStringLiteral("add"), QStringLiteral("edit"),
                                        QStringLiteral("remove"), QStringLiteral("require"), QStringLiteral("unrequire")};
    if (!actions.contains(o.action)) {
        *error = QStringLiteral("unknown action '%1'").arg(o.action);
        return false;
    }
    const int wanted = o.action == QLatin1String("presets") ? 1
        : o.action == QLatin1String("list") || o.action == QLatin1String("unrequire") ? 2 : 3;
    if (positional.size() != wanted) {
        *error = QStringLiteral("'%1' takes %2").arg(o.action, wanted == 1 ? QStringLiteral("no SOURCE")
                                                                : wanted == 2 ? QStringLiteral("SOURCE") : QStringLiteral("SOURCE and NAME"));
        return false;
    }
    for (const auto &[option, field] : kFieldOptions)
        if (parser.isSet(option))
            o.fields.insert(field, parser.value(option));
    for (const auto &[option, field] : kDefaultOptions)
        if (parser.isSet(option))
            o.loginDefaults.insert(field, parser.value(option));
    for (const auto &[option, field] : kFlowOptions)
        if (parser.isSet(option))
            o.flowUrls.insert(field, parser.value(option));
    OAuthFlowKind kind;
    if (parser.isSet(QStringLiteral("flow"))) {
        if (!flowKindFromName(parser.value(QStringLiteral("flow")), &kind)) {
            *error = QStringLiteral("unknown flow '%1'").arg(parser.value(QStringLiteral("flow")));
            return false;
        }
        o.flow = kind;
    }
    if (parser.isSet(QStringLiteral("remove-flow"))) {
        if (!flowKindFromName(parser.value(QStringLiteral("remove-flow")), &kind)) {
            *error = QStringLiteral("unknown flow '%1'").arg(parser.value(QStringLiteral("remove-flow")));
            return false;
        }
        o.removedFlow = kind;
    }
    const QStringList scopes = parser.values(QStringLiteral("scope"));
    if (o.action == QLatin1String("require")) {
        o.scopes = scopes;
    } else {
        for (const QString &scope : scopes) {
            const qsizetype equals = scope.indexOf(QLatin1Char('='));
            o.flowScopes.append({equals < 0 ? scope : scope.left(equals), equals < 0 ? QString() : scope.mid(equals + 1)});
        }
    }
    if ((!o.flowUrls.isEmpty() || !o.flowScopes.isEmpty()) && !o.flow) {
        *error = QStringLiteral("flow URLs and scopes need --flow KIND");
        return false;
    }
    for (const QString &value : parser.values(QStringLiteral("set"))) {
        const qsizetype equals = value.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            *error = QStringLiteral("--set '%1' is not PLACEHOLDER=VALUE").arg(value);
            return false;
        }
        o.placeholders.insert(value.left(equals), value.mid(equals + 1));
    }
    o.preset = parser.value(QStringLiteral("preset"));
    o.operation = parser.value(QStringLiteral("operation"));
    o.json = parser.value(QStringLiteral("json"));
    o.require = parser.isSet(QStringLiteral("require"));
    if (!o.preset.isEmpty() && (o.action != QLatin1String("add") || !o.fields.isEmpty() || o.flow || !o.json.isEmpty()
                                || !o.loginDefaults.isEmpty())) {
        *error = QStringLiteral("--preset goes with 'add' alone; change fields afterwards with 'edit'");
        return false;
    }
    return true;
}

// `base` with the options' changes: top-level fields, flows, or the whole object from --json.
bool editedScheme(const SecurityScheme &base, const SchemeOptions &o, SecurityScheme *out, QString *error)
{
    QJsonObject json = securitySchemeToJson(base);
    if (!o.json.isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(o.json.toUtf8(), &parseError);
        if (!document.isObject()) {
            *error = QStringLiteral("--json is not a JSON object: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
            return false;
        }
        json = document.object();
    }
    for (auto it = o.fields.begin(); it != o.fields.end(); ++it)
        json.insert(it.key(), it.value());
    QJsonObject flows = json.value(QLatin1String("flows")).toObject();
    if (o.flow) {
        QJsonObject flow = flows.value(oauthFlowName(*o.flow)).toObject();
        for (auto it = o.flowUrls.begin(); it != o.flowUrls.end(); ++it)
            flow.insert(it.key(), it.value());
        QJsonObject scopes = flow.value(QLatin1String("scopes")).toObject();
        for (const auto &scope : o.flowScopes)
            scopes.insert(scope.first, scope.second);
        flow.insert(QLatin1String("scopes"), scopes);
        flows.insert(oauthFlowName(*o.flow), flow);
    }
    if (o.removedFlow)
        flows.remove(oauthFlowName(*o.removedFlow));
    if (!flows.isEmpty() || json.contains(QLatin1String("flows")))
        json.insert(QLatin1String("flows"), flows);
    if (json.value(QLatin1String("type")).toString() != QLatin1String("oauth2"))
        json.remove(QLatin1String("flows"));
    return securitySchemeFromJson(o.name, json, out, error);
}

QString requirementText(const SecurityRequirement &requirement)
{
    if (requirement.isEmpty())
        return QStringLiteral("none (no authentication)");
    QStringList alternatives;
    for (const SecurityAlternative &alternative : requirement) {
        QStringList uses;
        for (const SchemeUse &use : alternative)
            uses << (use.scopes.isEmpty() ? use.scheme : QStringLiteral("%1 (%2)").arg(use.scheme, use.scopes.join(QLatin1Char(' '))));
        alternatives << (uses.isEmpty() ? QStringLiteral("optional") : uses.join(QLatin1String(" + ")));
    }
    return alternatives.join(QLatin1String(" or "));
}

void printList(const ApiDocument &document, const SchemeOverrides &overrides)
{
    QTextStream &o = out();
    bool documentDeclares = false;
    for (const SecurityScheme &scheme : document.securitySchemes)
        documentDeclares = documentDeclares || !scheme.userDefined;
    if (!documentDeclares)
        o << "The document declares no security schemes.\n";
    for (const SecurityScheme &scheme : document.securitySchemes) {
        o << scheme.name << "  " << securitySchemeTypeName(scheme.type);
        if (scheme.type == SecuritySchemeType::ApiKey)
            o << " " << scheme.in << " " << scheme.parameterName;
        else if (scheme.type == SecuritySchemeType::Http)
            o << " " << scheme.scheme;
        else if (scheme.type == SecuritySchemeType::OpenIdConnect)
            o << " " << scheme.openIdConnectUrl;
        const QString preset = overrides.loginDefaults.value(scheme.name).value(QLatin1String("preset")).toString();
        o << "  (" << (scheme.userDefined ? QStringLiteral("yours") : QStringLiteral("the document's"))
          << (preset.isEmpty() ? QString() : QStringLiteral(", preset ") + preset) << ")\n";
        for (const OAuthFlow &flow : scheme.flows) {
            o << "    " << oauthFlowName(flow.kind) << ":";
            if (!flow.authorizationUrl.isEmpty())
                o << " authorize " << flow.authorizationUrl;
            if (!flow.deviceAuthorizationUrl.isEmpty())
                o << " device " << flow.deviceAuthorizationUrl;
            if (!flow.tokenUrl.isEmpty())
                o << " token " << flow.tokenUrl;
            QStringList scopes;
            for (const auto &scope : flow.scopes)
                scopes << scope.first;
            if (!scopes.isEmpty())
                o << "  scopes: " << scopes.join(QLatin1Char(' '));
            o << "\n";
        }
    }
    if (document.globalSecurity)
        o << "API requirement: " << requirementText(*document.globalSecurity)
          << (document.globalSecurityFromUser ? " (yours)" : " (the document's)") << "\n";
    else
        o << "API requirement: the document does not declare its authentication\n";
    for (auto it = overrides.operationRequirements.begin(); it != overrides.operationRequirements.end(); ++it)
        o << "Operation " << it.key() << ": " << requirementText(it.value()) << " (yours)\n";
}

void printPresets()
{
    const ProviderPresets &presets = ProviderPresets::builtIn();
    for (const ProviderPreset &preset : presets.all()) {
        out() << preset.id << "  " << preset.name << "\n";
        for (const ProviderPreset::Placeholder &placeholder : preset.placeholders)
            out() << "    --set " << placeholder.name << "=…  " << placeholder.description
                  << (placeholder.defaultValue.isEmpty() ? QString() : QStringLiteral(" (default %1)").arg(placeholder.defaultValue)) << "\n";
        for (const QString &quirk : preset.quirks)
            out() << "    handles: " << presets.quirkDescription(quirk) << "\n";
        out() << "    documentation: " << preset.documentation.join(QLatin1String(" ")) << "\n";
    }
}

// Applies the action to `overrides`; the message says what changed. UsageError/Failure on refusal.
int change(const ApiDocument &document, const SchemeOptions &o, SchemeOverrides *overrides, QString *message)
{
    if (o.action == QLatin1String("add") || o.action == QLatin1String("edit")) {
        const bool add = o.action == QLatin1String("add");
        const SecurityScheme *current = document.securityScheme(o.name);
        SecurityScheme scheme;
        scheme.name = o.name;
        bool done = false;
        if (!o.preset.isEmpty())
            done = client::addPresetScheme(document, overrides, o.name, o.preset, o.placeholders, message);
        // Adding one that exists or editing one that does not goes straight to the shared refusal.
        else if (add == (current != nullptr) || editedScheme(current ? *current : SecurityScheme(), o, &scheme, message))
            done = add ? client::addScheme(document, overrides, scheme, {}, message) : client::editScheme(document, overrides, scheme, message);
        if (!done)
            return UsageError;
        client::mergeLoginDefaults(overrides, o.name, o.loginDefaults);
        if (!add) {
            *message = QStringLiteral("Scheme %1 is now yours as edited").arg(o.name);
            return Success;
        }
        if (o.require)
            client::requireScheme(document, overrides, o.name, {}, nullptr, message);
        *message = QStringLiteral("Added your scheme %1 (%2)%3").arg(o.name, securitySchemeTypeName(overrides->scheme(o.name)->type),
                                                                     o.require ? QStringLiteral(", required by the whole API") : QString());
        return Success;
    }
    if (o.action == QLatin1String("remove")) {
        if (!client::removeScheme(document, overrides, o.name, message))
            return UsageError;
        *message = QStringLiteral("Removed your scheme %1").arg(o.name);
        return Success;
    }
    const bool require = o.action == QLatin1String("require");
    const Operation *operation = nullptr;
    if (!o.operation.isEmpty() && !(operation = client::findOperation(document, o.operation, message)))
        return UsageError;
    if (require && !client::requireScheme(document, overrides, o.name, o.scopes, operation, message))
        return UsageError;
    if (!require)
        client::removeRequirement(overrides, operation);
    const QString requirement = requirementText(SecurityRequirement{{SchemeUse{o.name, o.scopes}}});
    if (!operation)
        *message = require ? QStringLiteral("The whole API now requires %1").arg(requirement)
                           : QStringLiteral("Your API requirement is removed");
    else
        *message = require ? QStringLiteral("%1 now requires %2").arg(operationKey(*operation), requirement)
                           : QStringLiteral("Your requirement for %1 is removed").arg(operationKey(*operation));
    return Success;
}

} // namespace

int runScheme(const QStringList &arguments)
{
    SchemeCommandLine line;
    if (const int code = line.parse(arguments, 1, 3); code >= 0)
        return code;
    SchemeOptions options;
    QString error;
    if (!readOptions(line.parser, options, &error))
        return line.usageError(error);
    if (options.action == QLatin1String("presets")) {
        printPresets();
        return Success;
    }
    const QUrl source = sourceUrlFromUserInput(options.source);
    SchemeOverrides overrides;
    if (!SchemeOverrides::load(source, &overrides, &error)) {
        err() << "portolan-cli scheme: " << error << "\n";
        return Failure;
    }
    LoadOptions load = loadOptions();
    load.schemeOverrides = overrides;
    DocumentLoader loader(nullptr);
    int exitCode = Failure;
    QObject::connect(&loader, &DocumentLoader::finished, [&](const LoadResult &result) {
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
        if (!result.document) {
            QStringList messages;
            for (const Diagnostic &d : result.errors)
                messages << d.message;
            err() << "portolan-cli scheme: cannot load " << options.source << ": " << messages.join(QStringLiteral("; ")) << "\n";
            return;
        }
        if (options.action == QLatin1String("list")) {
            printList(*result.document, overrides);
            exitCode = Success;
            return;
        }
        QString message;
        exitCode = change(*result.document, options, &overrides, &message);
        if (exitCode == Success && !overrides.save(source, &message))
            exitCode = Failure;
        (exitCode == Success ? out() : err()) << (exitCode == Success ? "" : "portolan-cli scheme: ") << message << "\n";
    });
    loader.load(source, load);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
