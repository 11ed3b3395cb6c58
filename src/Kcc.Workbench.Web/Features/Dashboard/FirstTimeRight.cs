using Kcc.Workbench.Web.Features.Contacts;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>How one question counts for "in één keer goed" once verified against repeat contacts.</summary>
public enum Verdict
{
    /// <summary>Registered right and the resident did not come back on the topic within the window.</summary>
    Goed = 1,

    /// <summary>Not registered right: routed, connected through, a callback, or not handled.</summary>
    NietGoed = 2,

    /// <summary>Registered right, but the same resident came back on the same topic within the window.</summary>
    Herhaald = 3,

    /// <summary>An anonymous contact: nobody can tell whether the resident came back.</summary>
    NietTeVerifieren = 4,
}

/// <summary>The definition of first time right (DOMAIN.md), in one place for every figure, list and export.</summary>
internal static class FirstTimeRight
{
    /// <summary>Beantwoord or a correct referral (Antwoord©), and no internal task was created for it.</summary>
    public static bool IsRegisteredRight(Outcome outcome, bool routed) =>
        outcome is Outcome.Beantwoord or Outcome.DoorverwezenNaarAndereOrganisatie && !routed;

    public static bool IsRegisteredRight(in QuestionFact row) => IsRegisteredRight(row.Outcome, row.IsRouted);

    public static Verdict Verify(in QuestionFact row, DashboardFacts.Snapshot facts, long windowTicks)
    {
        if (row.IsAnonymous)
        {
            return Verdict.NietTeVerifieren;
        }

        if (!IsRegisteredRight(row))
        {
            return Verdict.NietGoed;
        }

        return RepeatWithin(row, facts, windowTicks) >= 0 ? Verdict.Herhaald : Verdict.Goed;
    }

    /// <summary>
    /// The row of the repeat contact's question when it came within the window (any channel), else -1. The window is
    /// in calendar days on Amsterdam's clock, so a week that crosses a change to or from summer time is still a week.
    /// </summary>
    public static int RepeatWithin(in QuestionFact row, DashboardFacts.Snapshot facts, long windowTicks) =>
        row.NextSameTopic >= 0 && facts.Row(row.NextSameTopic).LocalTicks - row.LocalTicks <= windowTicks ? row.NextSameTopic : -1;

    public static string Label(this Verdict verdict) => verdict switch
    {
        Verdict.Goed => "In één keer goed",
        Verdict.NietGoed => "Niet in één keer goed",
        Verdict.Herhaald => "Herhaalcontact binnen termijn",
        Verdict.NietTeVerifieren => "Niet te verifiëren (anoniem)",
        _ => verdict.ToString(),
    };
}
