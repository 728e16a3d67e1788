// The navigator's filter and tree, on operations built in the test: what
// matches which words, that narrowing a query gives the same answer as
// filtering afresh, grouping by tag and by path, and deprecated marks.
#include "apimodel.h"
#include "navigatormodel.h"
#include "operationfilter.h"

#include <QRandomGenerator>
#include <QTest>

#include <deque>
#include <string>

using namespace portolan;
using namespace portolan::gui;

class TestNavigator : public QObject {
    Q_OBJECT
private:
    QList<Operation> m_operations;
    QVector<const Operation *> m_pointers;
    std::deque<std::string> m_texts;  // what the operations' paths and ids view, as a document's tree holds them

    std::string_view text(const QString &value) { return m_texts.emplace_back(value.toStdString()); }

    void add(const QString &method, const QString &path, const QString &id, const QString &summary,
             const QStringList &tags, bool deprecated = false)
    {
        Operation op;
        op.method = method;
        op.pathText = text(path);
        op.operationIdText = text(id);
        op.summary = summary;
        op.tags = tags;
        op.deprecated = deprecated;
        m_operations.append(op);
    }

private Q_SLOTS:
    void initTestCase()
    {
        add("GET", "/pets", "listPets", "List all pets", {"pets"});
        add("POST", "/pets", "createPet", "Create a pet", {"pets"});
        add("GET", "/pets/{id}", "getPet", "Info for a specific pet", {"pets"});
        add("DELETE", "/pets/{id}", "deletePet", "Remove a pet", {"pets", "admin"});
        add("GET", "/users/me", "whoAmI", "The signed-in user", {"users"});
        add("GET", "/legacy/pets", "oldPets", "Old listing", {}, true);
        add("PATCH", "/users/{id}/settings", "updateSettings", "Change settings, e.g. the pet name", {"users"});
        for (const Operation &op : std::as_const(m_operations))
            m_pointers.append(&op);
    }

    void filterMatchesWordsAndMethods_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<int>>("expected");
        QTest::newRow("empty") << "" << QList<int>{0, 1, 2, 3, 4, 5, 6};
        QTest::newRow("path word") << "users" << QList<int>{4, 6};
        QTest::newRow("operationId, any case") << "GETPET" << QList<int>{2};
        QTest::newRow("summary") << "signed-in" << QList<int>{4};
        QTest::newRow("tag") << "admin" << QList<int>{3};
        QTest::newRow("method word matches the method only") << "post" << QList<int>{1};
        QTest::newRow("method and word") << "get pet" << QList<int>{0, 2, 5};
        QTest::newRow("all words must match") << "pet remove" << QList<int>{3};
        QTest::newRow("nothing") << "zebra" << QList<int>{};
        QTest::newRow("extra spaces") << "  delete   pets  " << QList<int>{3};
    }

    void filterMatchesWordsAndMethods()
    {
        QFETCH(QString, query);
        QFETCH(QList<int>, expected);
        OperationFilter filter;
        filter.setOperations(m_pointers);
        QCOMPARE(QList<int>(filter.match(query)), expected);
    }

    // Each keystroke narrows from the previous matches; the result must equal a fresh filter.
    void typingNarrowsLikeAFreshFilter()
    {
        OperationFilter typing;
        typing.setOperations(m_pointers);
        const QStringList sequence = {"g", "ge", "get", "get ", "get p", "get pe", "get pet", "get pets", "get pet",
                                      "get", "gets", "s", "se", "set", "sett"};
        for (const QString &query : sequence) {
            OperationFilter fresh;
            fresh.setOperations(m_pointers);
            QVERIFY2(typing.match(query) == fresh.match(query), qPrintable(query));
        }
    }

    // The filter scans all operations' text at once, 16 bytes at a time, or
    // searches the previous matches one by one: either way it must find what
    // searching each operation's text on its own finds, wherever a word lies.
    void filterFindsWhatASearchOfEachOperationFinds()
    {
        // Every other text starts with the word, right after the previous match.
        QList<Operation> alternate(8);
        QVector<const Operation *> alternatePointers;
        for (int i = 0; i < alternate.size(); ++i) {
            alternate[i].method = QStringLiteral("GET");
            alternate[i].pathText = i % 2 ? "ab" : "bab";
            alternatePointers.append(&alternate[i]);
        }
        OperationFilter narrowing;
        narrowing.setOperations(alternatePointers);
        QCOMPARE(narrowing.match(QStringLiteral("a")).size(), 8);
        QCOMPARE(narrowing.match(QStringLiteral("ab")).size(), 8);

        QRandomGenerator random(7);
        const QString letters = QStringLiteral("abcdr/-");  // they spell no method name
        auto randomText = [&](int length) {
            QString text;
            for (int i = 0; i < length; ++i)
                text += letters[random.bounded(int(letters.size()))];
            return text;
        };
        QList<Operation> operations(400);
        QVector<const Operation *> pointers;
        for (Operation &op : operations) {
            op.method = QStringLiteral("GET");
            op.pathText = text(randomText(random.bounded(1, 40)));  // a word may then stand at a text's very start
            op.operationIdText = text(randomText(random.bounded(0, 12)));
            op.summary = randomText(random.bounded(0, 30));
            pointers.append(&op);
        }
        OperationFilter typing;
        typing.setOperations(pointers);
        for (int q = 0; q < 300; ++q) {
            QString query = randomText(random.bounded(1, 6));
            if (random.bounded(3) == 0)
                query += QLatin1Char(' ') + randomText(random.bounded(1, 4));
            for (qsizetype typed = 1; typed <= query.size(); ++typed) {
                const QString prefix = query.left(typed);
                const QStringList words = prefix.split(QLatin1Char(' '), Qt::SkipEmptyParts);
                QList<int> expected;
                for (int i = 0; i < operations.size(); ++i) {
                    const QString text = operations[i].path() + QLatin1Char(' ') + operations[i].operationId() + QLatin1Char(' ') + operations[i].summary;
                    if (std::all_of(words.begin(), words.end(), [&](const QString &word) { return text.contains(word); }))
                        expected.append(i);
                }
                QCOMPARE(QList<int>(typing.match(prefix)), expected);
            }
        }
    }

    // Case folds beyond ASCII; a summary's line break and the end of one
    // operation's text are no place for a word to match across.
    void filterFoldsCaseAndKeepsOperationsApart()
    {
        QList<Operation> operations(2);
        operations[0].method = QStringLiteral("GET");
        operations[0].pathText = text(QStringLiteral("/straße"));
        operations[0].summary = QStringLiteral("Größe ändern\nzweite Zeile");
        operations[1].method = QStringLiteral("GET");
        operations[1].pathText = "/b";
        operations[1].operationIdText = "zeileB";
        OperationFilter filter;
        filter.setOperations({&operations[0], &operations[1]});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("ÄNDERN"))), QList<int>{0});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("STRASSE"))), QList<int>{});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("Straße"))), QList<int>{0});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("zeile"))), (QList<int>{0, 1}));
        QCOMPARE(QList<int>(filter.match(QStringLiteral("ern zweite"))), QList<int>{0});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("ändern zweite"))), QList<int>{0});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("zeile/b"))), QList<int>{});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("zeile /b"))), QList<int>{1});
        QCOMPARE(QList<int>(filter.match(QStringLiteral("zeile\tget"))), (QList<int>{0, 1}));
    }

    void groupsByTagInDeclaredOrder()
    {
        NavigatorModel model;
        model.setOperations(m_pointers, {Tag{"users", {}}, Tag{"pets", {}}});
        QCOMPARE(model.rowCount(), 4);  // users, pets, admin, Untagged
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("users"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("pets"));
        QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("admin"));
        QCOMPARE(model.index(3, 0).data().toString(), QStringLiteral("Untagged"));
        QCOMPARE(model.rowCount(model.index(1, 0)), 4);
        QCOMPARE(model.index(1, 0).data(NavigatorModel::OperationCountRole).toInt(), 4);
        const QModelIndex deletePet = model.index(3, 0, model.index(1, 0));
        QCOMPARE(deletePet.data(NavigatorModel::MethodRole).toString(), QStringLiteral("DELETE"));
        QCOMPARE(deletePet.data(NavigatorModel::OperationRole).toInt(), 3);
        const QModelIndex legacy = model.index(0, 0, model.index(3, 0));
        QVERIFY(legacy.data(NavigatorModel::DeprecatedRole).toBool());
        QVERIFY(!deletePet.data(NavigatorModel::DeprecatedRole).toBool());
        QCOMPARE(model.parent(deletePet), model.index(1, 0));

        model.setVisibleOperations({1, 4});
        QCOMPARE(model.rowCount(), 2);  // empty groups disappear
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("users"));
        QVERIFY(!model.indexOfOperation(2).isValid());
        QCOMPARE(model.indexOfOperation(1).data(NavigatorModel::PathRole).toString(), QStringLiteral("/pets"));
    }

    void buildsAPathTree()
    {
        NavigatorModel model;
        model.setOperations(m_pointers, {});
        model.setGrouping(NavigatorModel::Grouping::ByPath);
        QCOMPARE(model.rowCount(), 3);  // /pets, /users, /legacy
        const QModelIndex pets = model.index(0, 0);
        QCOMPARE(pets.data().toString(), QStringLiteral("/pets"));
        // GET and POST /pets hang under /pets, next to the {id} segment.
        QCOMPARE(model.rowCount(pets), 3);
        const QModelIndex id = model.index(2, 0, pets);
        QCOMPARE(id.data().toString(), QStringLiteral("/{id}"));
        QCOMPARE(model.rowCount(id), 2);
        const QModelIndex getPet = model.indexOfOperation(2);
        QCOMPARE(model.parent(getPet), id);
        QCOMPARE(pets.data(NavigatorModel::OperationCountRole).toInt(), 4);
    }
};

QTEST_GUILESS_MAIN(TestNavigator)
#include "tst_navigator.moc"
