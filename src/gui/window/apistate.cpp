#include "apistate.h"

#include <schemeoverrides.h>

#include "apimodel.h"

#include <QJsonArray>

namespace portolan::gui {

namespace {
QJsonObject hashToJson(const QHash<QString, QString> &hash)
{
    QJsonObject object;
    for (auto it = hash.begin(); it != hash.end(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QHash<QString, QString> hashFromJson(const QJsonValue &value)
{
    QHash<QString, QString> hash;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isString())
            hash.insert(it.key(), it.value().toString());
    }
    return hash;
}
} // namespace

QJsonObject ApiState::toJson() const
{
    QJsonObject operationsJson;
    for (auto it = operations.begin(); it != operations.end(); ++it) {
        if (it->isEmpty())
            continue;
        QJsonObject input;
        if (!it->parameters.isEmpty())
            input.insert(QStringLiteral("parameters"), hashToJson(it->parameters));
        if (!it->contentType.isEmpty())
            input.insert(QStringLiteral("contentType"), it->contentType);
        if (!it->body.isEmpty())
            input.insert(QStringLiteral("body"), it->body);
        operationsJson.insert(it.key(), input);
    }
    QJsonObject json;
    json.insert(QStringLiteral("version"), 1);
    json.insert(QStringLiteral("server"), server);
    json.insert(QStringLiteral("serverVariables"), hashToJson(serverVariables));
    json.insert(QStringLiteral("environment"), environment);
    json.insert(QStringLiteral("selectedOperation"), selectedOperation);
    json.insert(QStringLiteral("groupedByPath"), groupedByPath);
    json.insert(QStringLiteral("operations"), operationsJson);
    json.insert(QStringLiteral("chosenCredentials"), hashToJson(chosenCredentials));
    return json;
}

ApiState ApiState::fromJson(const QJsonObject &json)
{
    ApiState state;
    state.server = json.value(QStringLiteral("server")).toString();
    state.serverVariables = hashFromJson(json.value(QStringLiteral("serverVariables")));
    state.environment = json.value(QStringLiteral("environment")).toString();
    state.selectedOperation = json.value(QStringLiteral("selectedOperation")).toString();
    state.groupedByPath = json.value(QStringLiteral("groupedByPath")).toBool();
    state.chosenCredentials = hashFromJson(json.value(QStringLiteral("chosenCredentials")));
    const QJsonObject operationsJson = json.value(QStringLiteral("operations")).toObject();
    for (auto it = operationsJson.begin(); it != operationsJson.end(); ++it) {
        const QJsonObject input = it.value().toObject();
        OperationInput operation;
        operation.parameters = hashFromJson(input.value(QStringLiteral("parameters")));
        operation.contentType = input.value(QStringLiteral("contentType")).toString();
        operation.body = input.value(QStringLiteral("body")).toString();
        state.operations.insert(it.key(), operation);
    }
    return state;
}

} // namespace portolan::gui
