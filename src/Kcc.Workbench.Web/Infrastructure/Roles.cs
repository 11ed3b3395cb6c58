namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>The five roles of the workbench. The strings are stored in Identity and in OIDC role claims.</summary>
public static class Roles
{
    public const string Frontoffice = "Frontoffice";
    public const string Backoffice = "Backoffice";
    public const string Teamleider = "Teamleider";
    public const string Kennisbeheerder = "Kennisbeheerder";
    public const string Beheerder = "Beheerder";

    public static readonly IReadOnlyList<string> All = [Frontoffice, Backoffice, Teamleider, Kennisbeheerder, Beheerder];

    /// <summary>Only integration clients (Integraties:Clients) have it: reading and writing through the Klantinteracties API.</summary>
    public const string Klantinteracties = "Klantinteracties";

    /// <summary>Roles for integration clients only; no employee account has them.</summary>
    public static readonly IReadOnlyList<string> ForIntegrations = [Klantinteracties];

    public static string DutchName(string role) => role switch
    {
        Frontoffice => "Frontoffice",
        Backoffice => "Backoffice",
        Teamleider => "Teamleider",
        Kennisbeheerder => "Kennisbeheerder",
        Beheerder => "Beheerder",
        _ => role,
    };
}

/// <summary>
/// Declares which roles may send a request. Every request type carries exactly one;
/// the authorization behaviour refuses senders without one of these roles.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class AllowedForAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Thrown when a user sends a request their roles do not allow. Surfaces as 403, never as a result.</summary>
public sealed class ForbiddenRequestException(string requestName)
    : Exception($"U heeft geen toegang tot deze handeling ({requestName}).");
