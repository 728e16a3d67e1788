#pragma once

#include "apimodel.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;

namespace portolan::gui {

// Chooses the server a request goes to and fills in its variables (a choice
// for enums, a line otherwise). The resulting base URL is shown with the
// substituted variables highlighted.
class ServerPicker : public QWidget {
    Q_OBJECT
public:
    explicit ServerPicker(QWidget *parent = nullptr);

    void setServers(const QList<Server> &servers);
    // Selects the server with this URL template, if offered.
    void selectServer(const QString &urlTemplate);
    QString currentTemplate() const;
    // Variable values keyed "template|name", for every server the user touched.
    QHash<QString, QString> variableValues() const { return m_values; }
    void setVariableValues(const QHash<QString, QString> &values);
    // The current server's variable values by name (those the user set).
    QHash<QString, QString> currentVariables() const;
    // The base URL with the variables substituted (by the client core, as when sending).
    QString resolvedUrl() const;
    QComboBox *serverBox() const { return m_servers; }
    QLabel *urlLabel() const { return m_url; }

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;  // the highlight colours follow the theme

private:
    void rebuildVariables();
    void updateUrl();
    QString valueOf(const ServerVariable &variable) const;

    QList<Server> m_serverList;
    QHash<QString, QString> m_values;
    QComboBox *m_servers;          // owned by this
    QHBoxLayout *m_variables;      // owned by this
    QLabel *m_url;                 // owned by this
    bool m_loading = false;
};

} // namespace portolan::gui
