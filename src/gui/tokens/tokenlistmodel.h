#pragma once

#include "credential.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace portolan::auth {
class CredentialStore;
}

namespace portolan::gui {

// Every stored credential across APIs, one row each: API, scheme, type,
// issuer, subject, scopes and a live expiry countdown. Reads the credential
// store's metadata only (never a secret).
class TokenListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Api, Scheme, Type, Issuer, Subject, Scopes, Expires, ColumnCount };
    static constexpr int IdRole = Qt::UserRole + 1;

    // `store` is not owned and must outlive the model.
    explicit TokenListModel(auth::CredentialStore *store, QObject *parent = nullptr);

    auth::CredentialInfo credential(int row) const;
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // "12:04 left", "expired 3 min ago", "no expiry".
    static QString countdown(const auth::CredentialInfo &info, const QDateTime &now);

private:
    void reload();

    auth::CredentialStore *m_store;  // not owned
    QList<auth::CredentialInfo> m_rows;
    QTimer m_clock;
};

} // namespace portolan::gui
