//! Each user's latest submission to a problem: what a similarity check compares (one
//! submission per person, so nobody is compared with their own earlier tries).

use super::{row_to_submission, Store, StoreError, Submission, SELECT_SUBMISSION};

impl Store {
    /// Each user's latest graded submission (`submit`, not a run on the samples or on an
    /// input of their own) to `problem`, newest first, at most `limit` of them.
    pub fn latest_submissions(
        &self,
        problem: &str,
        limit: i64,
    ) -> Result<Vec<Submission>, StoreError> {
        let rows = self.db.with(|c| {
            c.query(
                &format!(
                    "{SELECT_SUBMISSION} WHERE s.id IN (SELECT MAX(id) FROM submissions WHERE problem = $1 AND mode = 'submit' AND input IS NULL GROUP BY user_id) ORDER BY s.id DESC LIMIT $2"
                ),
                &[problem.into(), limit.into()],
            )
        })?;
        rows.iter().map(row_to_submission).collect()
    }
}
