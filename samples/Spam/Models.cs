using DeclarativeDistill;

namespace Samples.Spam;

// 200 words per message, a vocabulary of 20,000 ids: the padding, the unknown word and the 19,998 most frequent
// words of the training messages.

/// <summary>The teacher: a bidirectional LSTM over word embeddings, its outputs max-pooled over the message.</summary>
[Teacher(Layers = "tokens(20000, 200), embed(64), bilstm(64), gmp, 2")]
public partial class SpamTeacher { }

/// <summary>The student: the mean of its words' embeddings (a bag of embeddings, as fastText), then the classes.</summary>
[Student(Layers = "tokens(20000, 200), embed(16), gap, 2")]
[Distill(typeof(SpamTeacher), Temperature = 4, Alpha = 0.5)]
public partial class SpamStudent { }
