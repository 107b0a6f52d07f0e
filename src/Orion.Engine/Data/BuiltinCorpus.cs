// The built-in corpus: short simple stories generated deterministically from a seed, the default data of
// `orion train`. Their structure is learnable by a tiny model in a minute: a fixed frame, names and objects that are
// introduced and then repeated (copying), pronouns that agree with the name, and a small vocabulary.
using System.Text;
using Orion.Engine.Programs;

namespace Orion.Engine.Data;

public static class BuiltinCorpus
{
    public const ulong DefaultSeed = 20261122;
    public const int DefaultStories = 4000;

    private static readonly (string Name, string Pronoun, string Possessive)[] Names =
    [
        ("Lily", "She", "her"), ("Tom", "He", "his"), ("Mia", "She", "her"), ("Ben", "He", "his"), ("Sara", "She", "her"),
        ("Max", "He", "his"), ("Anna", "She", "her"), ("Leo", "He", "his"), ("Zoe", "She", "her"), ("Sam", "He", "his"),
    ];

    private static readonly string[] Animals = ["cat", "dog", "bird", "fox", "rabbit", "bear", "duck", "mouse"];
    private static readonly string[] Adjectives = ["little", "happy", "brave", "shy", "kind", "small", "curious", "sleepy"];
    private static readonly string[] Places = ["forest", "garden", "house", "farm", "park", "town", "field", "village"];
    private static readonly string[] Objects = ["ball", "hat", "box", "kite", "cake", "book", "flower", "shell"];
    private static readonly string[] Feelings = ["happy", "excited", "surprised", "glad", "proud"];
    private static readonly string[] Activities = ["played", "laughed", "danced", "sang", "ran"];

    /// <summary><paramref name="stories"/> stories from <paramref name="seed"/>; the same arguments give the same text on every machine.</summary>
    public static string Generate(int stories = DefaultStories, ulong seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stories);
        var r = new SeededRandom(seed);
        T Pick<T>(T[] items) => items[r.NextInt(items.Length)];
        var sb = new StringBuilder(stories * 220);
        for (int i = 0; i < stories; i++)
        {
            var hero = Pick(Names);
            var friend = Pick(Names);
            while (friend.Name == hero.Name) friend = Pick(Names);
            var animal = Pick(Animals);
            var thing = Pick(Objects);
            sb.Append("Once upon a time, there was a ").Append(Pick(Adjectives)).Append(' ').Append(animal)
              .Append(" named ").Append(hero.Name).Append(". ")
              .Append(hero.Name).Append(" lived in a ").Append(Pick(Places)).Append(". ")
              .Append("One day, ").Append(hero.Name).Append(" found a ").Append(thing).Append(". ")
              .Append(hero.Pronoun).Append(" was very ").Append(Pick(Feelings)).Append(". ")
              .Append(hero.Name).Append(" gave ").Append(hero.Possessive).Append(' ').Append(thing)
              .Append(" to ").Append(friend.Name).Append(", and they ").Append(Pick(Activities)).Append(" together. The end.\n");
        }
        return sb.ToString();
    }

    /// <summary>The default corpus as byte tokens.</summary>
    public static ushort[] Tokens(int stories = DefaultStories, ulong seed = DefaultSeed) => ByteTokenizer.Instance.Encode(Generate(stories, seed));
}
