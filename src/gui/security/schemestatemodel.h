#pragma once

#include <apimodel.h>

#include <QAbstractTableModel>
#include <QTimer>

#include <memory>

namespace portolan::auth {
class CredentialStore;
}

namespace portolan::gui {

// Every security scheme of a document with the state of its stored
// credential: none, stored, valid until …, expired, refreshable. Follows the
// credential store and re-reads expiry every few seconds.
class SchemeStateModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SchemeColumn, TypeColumn, StateColumn, CredentialColumn, ColumnCount };
    enum class State { NoCredential, Stored, Valid, Refreshable, Expired };
    static constexpr int StateRole = Qt::UserRole + 1;

    // `store` is not owned and must outlive the model.
    explicit SchemeStateModel(auth::CredentialStore *store, QObject *parent = nullptr);

    void setDocument(std::shared_ptr<const ApiDocument> document);
    const SecurityScheme *scheme(int row) const;
    int rowOf(const QString &schemeName) const;
    State state(int row) const;
    QString stateText(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void refresh();

    auth::CredentialStore *m_store;  // not owned
    std::shared_ptr<const ApiDocument> m_document;
    QTimer m_clock;
};

// "HTTP bearer (JWT)", "API key in header X-API-Key", "OAuth 2 (authorizationCode)"…
QString schemeDescription(const SecurityScheme &scheme);

} // namespace portolan::gui
