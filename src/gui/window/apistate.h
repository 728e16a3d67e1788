#pragma once

#include "schemeoverrides.h"  // operationKey()

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace portolan {
struct Operation;
}

namespace portolan::gui {

// What the user typed for one operation. Never holds credentials: fields
// that carry them are left out before an OperationInput is made.
struct OperationInput {
    QHash<QString, QString> parameters;  // "in:name" -> value
    QString contentType;
    QString body;  // empty: the generated example

    bool isEmpty() const { return parameters.isEmpty() && contentType.isEmpty() && body.isEmpty(); }
};

// Everything remembered about one API between sessions.
struct ApiState {
    QString server;                               // URL template of the chosen server
    QHash<QString, QString> serverVariables;      // "template|name" -> value
    QString environment;                          // name of the chosen environment; empty = none
    QString selectedOperation;                    // operationKey() of the last one shown
    bool groupedByPath = false;
    QHash<QString, OperationInput> operations;    // operationKey() -> input
    QHash<QString, QString> chosenCredentials;    // scheme name -> credential id (not a secret)

    QJsonObject toJson() const;
    static ApiState fromJson(const QJsonObject &json);
};

} // namespace portolan::gui
