package store

import "context"

// UserList returns an organization's dashboard users, oldest first.
func (tx *Tx) UserList(ctx context.Context, orgID string) ([]*User, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.organization_id = $1
		ORDER BY u.created_at, u.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserDelete removes one of an organization's users with their sessions and
// sign-in links (the foreign keys cascade), so a browser signed in as them is
// signed out at its next request. ENotFound for another organization's user.
func (tx *Tx) UserDelete(ctx context.Context, orgID, id string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1 AND organization_id = $2`, id, orgID)
	return affectedOne(res, err, "member")
}
