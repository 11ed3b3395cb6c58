namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// SQLite-only objects of the kennisbank, kept here so the migration stays readable and the SQL carries over when
/// migrations are regenerated. The index holds stems computed in .NET (see DutchText); rowid is Articles.Id.
/// </summary>
public static class KnowledgeBaseSql
{
    public const string SearchTable = "ArticleSearch";

    public const string VocabularyTable = "ArticleSearchVocabulary";

    /// <summary>One row per index change, written in the article's transaction: how a memory copy of the index catches up.</summary>
    public const string ChangeTable = "ArticleSearchChanges";

    /// <summary>title, variants (question variants, keywords, topic name) and body are indexed; status only filters.</summary>
    public const string Create = $"""
        CREATE VIRTUAL TABLE {SearchTable} USING fts5(
            title, variants, body, status UNINDEXED,
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3 4');
        CREATE VIRTUAL TABLE {VocabularyTable} USING fts5vocab({SearchTable}, 'row');
        CREATE TABLE {ChangeTable} (Id INTEGER PRIMARY KEY AUTOINCREMENT, ArticleId INTEGER NOT NULL);
        """;

    public const string Drop = $"""
        DROP TABLE IF EXISTS {ChangeTable};
        DROP TABLE IF EXISTS {VocabularyTable};
        DROP TABLE IF EXISTS {SearchTable};
        """;
}
